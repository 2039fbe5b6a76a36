package dev.tracefix.server.analyst;

import dev.tracefix.server.kernel.sql.SqlStatements;
import dev.tracefix.server.kernel.sql.SqlValues;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One query that only reads, with bounded rows and time: what the workbench runs for a check
 * proposed by a model (or by the analyst), and what a model's SQL tool runs. Text that a model
 * wrote is untrusted, so three fences: one statement that starts like a query, no word that writes
 * or changes settings anywhere outside string literals, and a transaction that is always rolled
 * back. The notebook's connection is locked as well (no files, no extensions).
 */
public final class ReadOnlyQuery {
  /**
   * Words that write or reach files wherever they stand (a CTE may lead into an INSERT). Words that
   * can only start a statement (SET, CALL, LOAD, USE, ...) are kept out by the first-word rule
   * instead, so a column named {@code call} or {@code load} stays usable.
   */
  private static final Pattern WRITING =
      Pattern.compile(
          "\\b(INSERT|UPDATE|DELETE|MERGE|UPSERT|CREATE|DROP|ALTER|TRUNCATE|COPY|EXPORT|IMPORT"
              + "|ATTACH|DETACH|INSTALL|PRAGMA|CHECKPOINT|VACUUM)\\b",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern STRINGS = Pattern.compile("'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"");

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tracefix-readonly-query-timeout");
            t.setDaemon(true);
            return t;
          });

  /** Rows of a query; {@code truncated} when more rows came than were kept. */
  public record Result(List<String> columns, List<List<Object>> rows, boolean truncated) {}

  /** The query is not one read-only statement; the message says why. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private ReadOnlyQuery() {}

  /** Why {@code sql} may not run as a read-only query, or null when it may. */
  public static String refusal(String sql) {
    if (sql == null || sql.isBlank()) {
      return "no query";
    }
    List<String> statements = SqlStatements.split(sql);
    if (statements.size() != 1) {
      return "one statement only (found " + statements.size() + ")";
    }
    String statement = SqlStatements.withoutComments(statements.getFirst()).strip();
    String first = statement.split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
    boolean query =
        SqlStatements.isQuery(statement)
            || first.equals("DESCRIBE")
            || first.equals("SHOW")
            || first.equals("SUMMARIZE");
    if (!query) {
      return "only queries (SELECT, WITH, FROM, DESCRIBE, ...) may run, not " + first;
    }
    var writing = WRITING.matcher(STRINGS.matcher(statement).replaceAll("''"));
    if (writing.find()) {
      return "a read-only query may not use " + writing.group(1).toUpperCase(Locale.ROOT);
    }
    return null;
  }

  /**
   * Runs {@code sql}, keeping at most {@code maxRows} rows; cancelled after {@code timeout}.
   *
   * @throws Refused when it is not one read-only statement
   * @throws SQLException when it fails or is cancelled
   */
  public static Result run(Connection connection, String sql, int maxRows, Duration timeout)
      throws Refused, SQLException {
    String why = refusal(sql);
    if (why != null) {
      throw new Refused(why);
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      ScheduledFuture<?> watchdog =
          WATCHDOG.schedule(
              () -> {
                try {
                  statement.cancel();
                } catch (SQLException ignored) {
                  // the statement ended meanwhile
                }
              },
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
      long started = System.nanoTime();
      try (ResultSet rs = statement.executeQuery(SqlStatements.split(sql).getFirst())) {
        List<String> columns = SqlValues.columns(rs);
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
          if (rows.size() == maxRows) {
            truncated = true;
            break;
          }
          rows.add(SqlValues.row(rs, columns.size()));
        }
        return new Result(columns, rows, truncated);
      } catch (SQLException e) {
        if (Duration.ofNanos(System.nanoTime() - started).compareTo(timeout) >= 0) {
          throw new SQLException("stopped after the " + timeout.toMillis() + " ms limit", e);
        }
        throw e;
      } finally {
        watchdog.cancel(false);
      }
    } finally {
      try {
        connection.rollback();
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }
}
