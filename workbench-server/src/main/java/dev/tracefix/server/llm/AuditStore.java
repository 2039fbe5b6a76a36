package dev.tracefix.server.llm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@code llm_audit} rows outlive the notebook that made them: a DuckDB file of its own beside
 * the event store ({@code workbench.duckdb} → {@code workbench.llm-audit.duckdb}). Not the store:
 * notebooks attach the store read-only, and their own databases are in memory and go with the
 * session. Each row is written on a connection opened for it and closed after, so the file is free
 * between requests for {@code tracefix sql --db FILE}, a report, or another tracefix process;
 * writers in this process take turns per file.
 */
public final class AuditStore {
  private static final ConcurrentHashMap<Path, Object> TURNS = new ConcurrentHashMap<>();

  /** How long a write waits for another process that holds the file (a query of it, say). */
  private static final int LOCKED_RETRIES = 50;

  private final Path file;

  public AuditStore(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  /** The audit store of the event store in {@code storeFile}. */
  public static AuditStore beside(Path storeFile) {
    String name = storeFile.getFileName().toString();
    String stem =
        name.endsWith(".duckdb") ? name.substring(0, name.length() - ".duckdb".length()) : name;
    return new AuditStore(
        storeFile.toAbsolutePath().normalize().resolveSibling(stem + ".llm-audit.duckdb"));
  }

  public Path file() {
    return file;
  }

  /** Appends one row; the file and table are created on first use. */
  void append(LlmAudit.Entry entry) {
    synchronized (TURNS.computeIfAbsent(file, f -> new Object())) {
      try (Connection c = open(false)) {
        LlmAudit.insert(c, entry);
      } catch (SQLException e) {
        throw new LlmException(
            LlmException.Kind.FAILED,
            "cannot write the llm_audit row to " + file + ": " + e.getMessage(),
            e);
      }
    }
  }

  /** Totals over every row for a privacy attestation; empty when nothing was ever recorded. */
  public Optional<LlmAudit.Summary> summary() throws SQLException {
    synchronized (TURNS.computeIfAbsent(file, f -> new Object())) {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try (Connection c = open(true)) {
        return LlmAudit.summary(c);
      }
    }
  }

  private Connection open(boolean readOnly) throws SQLException {
    Properties config = new Properties();
    if (readOnly) {
      config.setProperty("duckdb.read_only", "true");
    }
    SQLException last = null;
    for (int attempt = 0; attempt < LOCKED_RETRIES; attempt++) {
      try {
        return DriverManager.getConnection("jdbc:duckdb:" + file, config);
      } catch (SQLException e) {
        // Another process holds the file (DuckDB's lock): wait for it rather than lose the row.
        if (!String.valueOf(e.getMessage()).contains("lock")) {
          throw e;
        }
        last = e;
        try {
          Thread.sleep(100);
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }
}
