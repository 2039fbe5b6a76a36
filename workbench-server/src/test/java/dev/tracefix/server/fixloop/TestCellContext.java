package dev.tracefix.server.fixloop;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.run.CellContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test wiring for action cells: real folders, a real in-memory DuckDB, named results by hand. */
public final class TestCellContext implements CellContext, AutoCloseable {
  private final Path projectDir;
  private final Path workDir;
  private final Map<String, CellOutput> results = new HashMap<>();
  private final List<String> progress = new ArrayList<>();
  private Connection connection;
  private final Cancellation cancellation = new Cancellation();

  public TestCellContext(Path projectDir, Path workDir) {
    this.projectDir = projectDir;
    this.workDir = workDir;
  }

  public TestCellContext with(String name, CellOutput output) {
    results.put(name, output);
    return this;
  }

  public List<String> progressLines() {
    synchronized (progress) {
      return List.copyOf(progress);
    }
  }

  @Override
  public Path notebookDir() {
    return projectDir.resolve("notebooks");
  }

  @Override
  public Path projectDir() {
    return projectDir;
  }

  @Override
  public Path workDir() {
    return workDir;
  }

  @Override
  public synchronized Connection sql() {
    try {
      if (connection == null) {
        connection = DriverManager.getConnection("jdbc:duckdb:");
      }
      return connection;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open in-memory DuckDB", e);
    }
  }

  @Override
  public Optional<CellOutput> result(String name) {
    return Optional.ofNullable(results.get(name));
  }

  @Override
  public void progress(String line) {
    System.out.println("progress: " + line);
    synchronized (progress) {
      progress.add(line);
    }
  }

  @Override
  public Cancellation cancellation() {
    return cancellation;
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      connection.close();
    }
  }
}
