package dev.tracefix.server.kernel.sql;

import dev.tracefix.server.limits.Limit;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.message.CellOutput;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs SQL cells on one notebook's DuckDB connection ({@link NotebookDatabase}). A cell's result
 * stays in DuckDB ({@link ResultTable}): the output carries its first page and its row count, and
 * the page route reads further pages ({@link ResultPages}), so the server never holds a whole
 * result. A named cell's table is what later cells read by that name; it keeps exactly the rows the
 * cell showed, without re-running upstream work, and the notebook's stale marks say when it is out
 * of date.
 *
 * <p>Limits ({@link Limits}): the cell's statements together get {@code timeout}; a result keeps at
 * most {@code max_rows} rows (the query runs with {@code LIMIT max_rows + 1}, so an endless query
 * stops there) and {@code max_bytes} of DuckDB's memory and spill; hitting one is a cell error that
 * names it. Statements whose result cannot be kept ({@code SHOW}, {@code PRAGMA}, {@code EXPLAIN},
 * ...) show a first page and count the rest without keeping it.
 */
public final class SqlKernel {
  private static final String BUILDING = "tracefix_building_";

  private final Connection connection;
  private final int firstPageRows;
  private final long firstPageBytes;
  private volatile Statement running;
  private volatile String stopReason;
  private volatile Limits limits = Limits.defaults();
  private volatile String cellKind = "sql";

  /**
   * @param firstPageRows rows of a result that a cell's output carries
   * @param firstPageBytes and at most about this many bytes of them
   */
  public SqlKernel(Connection connection, int firstPageRows, long firstPageBytes) {
    this.connection = connection;
    this.firstPageRows = firstPageRows;
    this.firstPageBytes = firstPageBytes;
  }

  /** What keeping a query's rows gave: the rows kept (at most the cap) and whether more came. */
  public record Kept(ResultTable table, long rows, boolean truncated) {}

  /**
   * Runs a cell's statements in order and shows the last result; the last statement's result, if it
   * is a query, is kept in {@link ResultTable#ofCell}. With a name the last statement must be a
   * query.
   */
  public synchronized CellOutput run(
      String sql, String cellId, Optional<String> name, Limits cellLimits) {
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
    ScheduledFuture<?> watchdog = begin(cellLimits, "sql");
    try {
      for (int i = 0; i < statements.size() - 1; i++) {
        execute(statements.get(i));
      }
      if (!SqlStatements.isQuery(last)) {
        return direct(last);
      }
      ResultTable table = ResultTable.ofCell(cellId, name);
      keep(last, table, cellLimits.maxRows(), false);
      ResultPage first =
          ResultPages.read(
              connection,
              table,
              0,
              Math.max(1, Math.min(firstPageRows, ResultPages.MAX_PAGE_ROWS)),
              Optional.empty(),
              false,
              firstPageBytes,
              cellLimits.timeout());
      return new CellOutput.Table(first.columns(), first.rows(), first.totalRows());
    } catch (LimitHit e) {
      return e.error;
    } catch (SQLException e) {
      return error(e);
    } finally {
      end(watchdog);
    }
  }

  /**
   * Runs a Java cell's {@code sql(...)}: keeps at most {@code limits.maxRows()} rows of the query
   * in {@code table} for paging; more rows than that are cut, not an error.
   *
   * @throws SQLException with a message for the cell: DuckDB's, or the limit that was hit
   */
  public synchronized Kept keepForJava(String query, ResultTable table, Limits javaLimits)
      throws SQLException {
    ScheduledFuture<?> watchdog = begin(javaLimits, "java");
    try {
      return keep(query, table, javaLimits.maxRows(), true);
    } catch (LimitHit e) {
      throw new SQLException(e.error.message());
    } catch (SQLException e) {
      CellOutput.Error error = error(e);
      throw new SQLException(error.message(), e);
    } finally {
      end(watchdog);
    }
  }

  /** A page of a kept table, read on this kernel's connection (a Java cell's paging). */
  public synchronized ResultPage page(ResultTable table, long offset, int limit, Duration timeout)
      throws SQLException {
    return ResultPages.read(
        connection, table, offset, limit, Optional.empty(), false, ResultPages.PAGE_BYTES, timeout);
  }

  /** Drops a kept table (a Java cell's sql() table nobody can reach any more). */
  public synchronized void drop(ResultTable table) {
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table.sql());
    } catch (SQLException ignored) {
      // a table left behind goes with the notebook's database
    }
  }

  /** Interrupts the statement running now, if any; safe to call from any thread. */
  public void cancel() {
    stop("cell interrupted: query cancelled by a stop request");
  }

  private ScheduledFuture<?> begin(Limits cellLimits, String kind) {
    limits = cellLimits;
    cellKind = kind;
    stopReason = null;
    return Watchdog.after(cellLimits.timeout(), () -> stop(TIMEOUT));
  }

  private void end(ScheduledFuture<?> watchdog) {
    watchdog.cancel(false);
    running = null;
  }

  private static final String TIMEOUT = "timeout";

  /**
   * Keeps {@code query}'s rows in {@code table}, replacing what it held. More than {@code cap} rows
   * are either cut ({@code cutAtCap}: the table holds one row more, which {@link Kept#rows()}
   * leaves out) or a {@code max_rows} error that leaves the table as it was; so is a result past
   * {@code max_bytes}.
   */
  private Kept keep(String query, ResultTable table, long cap, boolean cutAtCap)
      throws SQLException {
    // Built beside the old table and swapped in, so a query may still read the result it replaces.
    ResultTable building = new ResultTable(table.schema(), BUILDING + table.table());
    execute("DROP TABLE IF EXISTS " + building.sql());
    long before = tableBytes();
    try {
      execute(
          "CREATE TABLE "
              + building.sql()
              + " AS SELECT * FROM (\n"
              + query
              + "\n) LIMIT "
              + (cap + 1));
    } catch (SQLException e) {
      // The query sits one line down in the statement; DuckDB's "LINE n:" must point into the cell.
      throw SqlPositions.shifted(e, 1, query);
    }
    try {
      long rows = count(building);
      if (rows > cap && !cutAtCap) {
        throw new LimitHit(
            limitError(Limit.MAX_ROWS, "the result has more than " + cap + " rows", ""));
      }
      long bytes = tableBytes() - before;
      if (bytes > limits.maxBytes()) {
        throw new LimitHit(
            limitError(
                Limit.MAX_BYTES,
                "the result takes " + mib(bytes) + " in the notebook's DuckDB",
                ""));
      }
      execute("DROP TABLE IF EXISTS " + table.sql());
      execute("ALTER TABLE " + building.sql() + " RENAME TO " + ResultTable.quote(table.table()));
      return new Kept(table, Math.min(rows, cap), rows > cap);
    } finally {
      drop(building); // left over only when the limit check or the swap failed
    }
  }

  /** A statement whose result cannot be kept: its first page, and the rest counted. */
  private CellOutput direct(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      running = statement;
      checkStopped();
      boolean hasResult = statement.execute(sql);
      if (!hasResult) {
        long count = statement.getLargeUpdateCount();
        return new CellOutput.Text(count >= 0 ? "ok: " + count + " rows changed" : "ok");
      }
      try (ResultSet rs = statement.getResultSet()) {
        List<String> columns = SqlValues.columns(rs);
        List<List<Object>> rows = new ArrayList<>();
        long total = 0;
        long bytes = 0;
        while (rs.next()) {
          if (rows.size() < firstPageRows && bytes < firstPageBytes) {
            List<Object> row = SqlValues.row(rs, columns.size());
            bytes += SqlValues.estimatedBytes(row);
            rows.add(row);
          }
          total++;
          if (total > limits.maxRows()) {
            return limitError(
                Limit.MAX_ROWS, "the result has more than " + limits.maxRows() + " rows", "");
          }
        }
        return new CellOutput.Table(columns, rows, total);
      }
    } catch (SQLException e) {
      throw stopped(e);
    } finally {
      running = null;
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      running = statement;
      checkStopped();
      statement.execute(sql);
    } catch (SQLException e) {
      throw stopped(e);
    } finally {
      running = null;
    }
  }

  private long count(ResultTable table) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      running = statement;
      try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table.sql())) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw stopped(e);
    } finally {
      running = null;
    }
  }

  /** Bytes DuckDB holds for tables of this database, in memory and spilled. */
  private long tableBytes() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT coalesce(sum(memory_usage_bytes + temporary_storage_bytes), 0)"
                    + " FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void checkStopped() throws SQLException {
    if (stopReason != null) {
      throw new SQLException("stopped before the statement started");
    }
  }

  /** A failure after a stop is the stop's, whatever DuckDB said. */
  private SQLException stopped(SQLException e) {
    String reason = stopReason;
    if (reason == null) {
      return e;
    }
    if (reason.equals(TIMEOUT)) {
      return new LimitHit(
          limitError(Limit.TIMEOUT, "the cell ran longer than its time limit", firstLine(e)));
    }
    return new SQLException(reason, e);
  }

  private void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    Statement statement = running;
    if (statement == null) {
      return;
    }
    try {
      statement.cancel();
    } catch (SQLException | RuntimeException ignored) {
      // the statement finished or closed meanwhile: nothing left to stop
    }
  }

  private CellOutput.Error limitError(Limit limit, String what, String detail) {
    return new CellOutput.Error("limit", limits.exceeded(limit, what, cellKind), detail);
  }

  private CellOutput.Error error(SQLException e) {
    if (e instanceof LimitHit hit) {
      return hit.error;
    }
    String full = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e.getCause() instanceof SQLException cause && cause.getMessage() != null) {
      full = full + "\n" + cause.getMessage();
    }
    if (full.contains("Out of Memory Error")) {
      return limitError(Limit.MEMORY, "the notebook's DuckDB ran out of memory", full);
    }
    String firstLine = full.lines().findFirst().orElse(full).strip();
    return new CellOutput.Error("sql", firstLine, full);
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }

  /** A limit was hit: carries the cell error up through the JDBC calls. */
  private static final class LimitHit extends SQLException {
    final CellOutput.Error error;

    LimitHit(CellOutput.Error error) {
      super(error.message());
      this.error = error;
    }
  }
}
