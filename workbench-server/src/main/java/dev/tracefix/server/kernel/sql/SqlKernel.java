package dev.tracefix.server.kernel.sql;

import dev.tracefix.server.run.CellOutput;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs SQL cells on one notebook's DuckDB connection. A named cell's result is kept as a temp
 * table so later cells read exactly the rows the cell showed, without re-running upstream work
 * (a view would re-evaluate, and silently change, whenever an upstream table changes); the
 * notebook's stale marks tell when such a table is out of date.
 */
public final class SqlKernel {

  /** Cancels statements that outlive the timeout; one daemon thread serves every kernel. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tracefix-sql-timeout");
            t.setDaemon(true);
            return t;
          });

  private final Connection connection;
  private final Duration timeout;
  private final int maxDisplayedRows;
  private volatile Statement running;
  private volatile String stopReason;

  public SqlKernel(Connection connection, Duration timeout, int maxDisplayedRows) {
    this.connection = connection;
    this.timeout = timeout;
    this.maxDisplayedRows = maxDisplayedRows;
  }

  /**
   * Runs the statements in order and shows the last result; with a name, the last statement
   * (which must be a query) is materialized as temp table {@code name}.
   */
  public synchronized CellOutput run(String sql, Optional<String> name) {
    List<String> statements = SqlStatements.split(sql);
    if (statements.isEmpty()) {
      return new CellOutput.Error("sql", "the cell has no SQL statement", "");
    }
    String last = statements.getLast();
    if (name.isPresent() && !SqlStatements.isQuery(last)) {
      return new CellOutput.Error(
          "sql",
          "cell name="
              + name.get()
              + " needs a query (SELECT, WITH, FROM, VALUES) as its last statement to keep its"
              + " result",
          "");
    }
    stopReason = null;
    try {
      CellOutput output = null;
      for (int i = 0; i < statements.size() - 1; i++) {
        output = execute(statements.get(i));
      }
      if (name.isPresent()) {
        String table = quote(name.get());
        execute("CREATE OR REPLACE TEMP TABLE " + table + " AS (" + last + "\n)");
        output = execute("SELECT * FROM " + table);
      } else {
        output = execute(last);
      }
      return output;
    } catch (SQLException e) {
      return error(e);
    }
  }

  /** All rows of a query as column-name maps, for Java cells; runs under the same timeout. */
  public synchronized List<Map<String, Object>> rows(String query) throws SQLException {
    stopReason = null;
    try (Statement statement = connection.createStatement()) {
      ScheduledFuture<?> watchdog = arm(statement);
      try (ResultSet rs = statement.executeQuery(query)) {
        return SqlValues.rowMaps(rs);
      } catch (SQLException e) {
        throw stopReason == null ? e : new SQLException(stopReason, e);
      } finally {
        disarm(watchdog);
      }
    }
  }

  /** Interrupts the statement running now, if any; safe to call from any thread. */
  public void cancel() {
    stop("query cancelled");
  }

  private CellOutput execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      ScheduledFuture<?> watchdog = arm(statement);
      try {
        boolean hasResult = statement.execute(sql);
        if (!hasResult) {
          long count = statement.getLargeUpdateCount();
          return new CellOutput.Text(count >= 0 ? "ok: " + count + " rows changed" : "ok");
        }
        try (ResultSet rs = statement.getResultSet()) {
          return table(rs);
        }
      } catch (SQLException e) {
        throw stopReason == null ? e : new SQLException(stopReason, e);
      } finally {
        disarm(watchdog);
      }
    }
  }

  private CellOutput.Table table(ResultSet rs) throws SQLException {
    List<String> columns = SqlValues.columns(rs);
    List<List<Object>> rows = new ArrayList<>();
    long total = 0;
    while (rs.next()) {
      if (total < maxDisplayedRows) {
        rows.add(SqlValues.row(rs, columns.size()));
      }
      total++;
    }
    return new CellOutput.Table(columns, rows, total);
  }

  private ScheduledFuture<?> arm(Statement statement) {
    running = statement;
    return WATCHDOG.schedule(
        () -> stop("query stopped after the " + timeout.toMillis() + " ms timeout"),
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void disarm(ScheduledFuture<?> watchdog) {
    watchdog.cancel(false);
    running = null;
  }

  private void stop(String reason) {
    Statement statement = running;
    if (statement == null) {
      return;
    }
    stopReason = reason;
    try {
      statement.cancel();
    } catch (SQLException | RuntimeException ignored) {
      // the statement finished or closed meanwhile: nothing left to stop
    }
  }

  private static CellOutput.Error error(SQLException e) {
    String full = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e.getCause() instanceof SQLException cause && cause.getMessage() != null) {
      full = full + "\n" + cause.getMessage();
    }
    String firstLine = full.lines().findFirst().orElse(full).strip();
    return new CellOutput.Error("sql", firstLine, full);
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
