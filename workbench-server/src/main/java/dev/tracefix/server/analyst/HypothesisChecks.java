package dev.tracefix.server.analyst;

import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.message.CellOutput.Check;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The workbench's verdict on each hypothesis: it runs the check query itself (read-only, bounded)
 * and marks the hypothesis supported (rows came back), refuted (none did) or not checkable. Whoever
 * proposed the hypothesis, only this verdict is shown as one.
 */
public final class HypothesisChecks {
  /** Rows of a check's result kept in the cell output. */
  public static final int SHOWN_ROWS = 10;

  private final Duration timeout;

  public HypothesisChecks(Duration timeout) {
    this.timeout = timeout;
  }

  public List<CellOutput.Hypothesis> check(
      Connection connection, List<CellOutput.Hypothesis> items) {
    return items.stream().map(h -> h.withCheck(check(connection, h.checkSql()))).toList();
  }

  public Check check(Connection connection, String sql) {
    if (sql == null || sql.isBlank()) {
      return new Check(Check.NOT_CHECKABLE, List.of(), List.of(), 0, "no check query was given");
    }
    try {
      ReadOnlyQuery.Result r = ReadOnlyQuery.run(connection, sql, SHOWN_ROWS, timeout);
      long total = r.rows().size();
      return r.rows().isEmpty()
          ? new Check(Check.REFUTED, r.columns(), List.of(), 0, "the check returned no rows")
          : new Check(
              Check.SUPPORTED,
              r.columns(),
              r.rows(),
              total,
              r.truncated()
                  ? "more than " + SHOWN_ROWS + " rows; the first " + SHOWN_ROWS + " shown"
                  : "");
    } catch (ReadOnlyQuery.Refused e) {
      return new Check(Check.NOT_CHECKABLE, List.of(), List.of(), 0, "not run: " + e.getMessage());
    } catch (SQLException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new Check(
          Check.NOT_CHECKABLE,
          List.of(),
          List.of(),
          0,
          "the check failed: " + message.lines().findFirst().orElse(""));
    }
  }
}
