package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.FixLoopException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The timing schedule of a replay: from a time column, the gap before each row in milliseconds, as
 * a {@code delay_ms} column the repro may sleep on. Gaps are recomputed from the rows that are
 * left, so a minimized sequence keeps the real time between its rows; once a table has its own
 * {@code delay_ms} column (after value shrinking made the gaps shorter), that column is used as it
 * is.
 *
 * <p>Times: numbers are milliseconds; timestamps (JDBC, java.time, ISO-8601 text) are converted.
 */
public final class Schedule {
  public static final String DELAY_COLUMN = "delay_ms";

  private Schedule() {}

  public static InputTable withDelays(InputTable table, String timeColumn) {
    if (table.columns().contains(DELAY_COLUMN)) {
      return table;
    }
    int at = table.column(timeColumn);
    List<String> columns = new ArrayList<>(table.columns());
    columns.add(DELAY_COLUMN);
    List<List<Object>> rows = new ArrayList<>();
    double previous = Double.NaN;
    for (List<Object> row : table.rows()) {
      double now = millis(row.get(at), timeColumn);
      long delay = Double.isNaN(previous) ? 0 : Math.max(0, Math.round(now - previous));
      previous = now;
      List<Object> out = new ArrayList<>(row);
      out.add(delay);
      rows.add(out);
    }
    return new InputTable(columns, rows);
  }

  static double millis(Object value, String column) {
    switch (value) {
      case null -> throw bad(column, "an empty value");
      case Number n -> {
        return n.doubleValue();
      }
      case java.sql.Timestamp t -> {
        return t.getTime() + (t.getNanos() % 1_000_000) / 1e6;
      }
      case Instant i -> {
        return i.toEpochMilli() + (i.getNano() % 1_000_000) / 1e6;
      }
      case LocalDateTime t -> {
        return millis(t.toInstant(ZoneOffset.UTC), column);
      }
      case OffsetDateTime t -> {
        return millis(t.toInstant(), column);
      }
      default -> {
        String text = value.toString().strip();
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException notANumber) {
          // a timestamp in text, below
        }
        String iso = text.replace(' ', 'T');
        try {
          return millis(OffsetDateTime.parse(iso), column);
        } catch (DateTimeParseException e) {
          try {
            return millis(LocalDateTime.parse(iso), column);
          } catch (DateTimeParseException e2) {
            throw bad(column, "'" + text + "'");
          }
        }
      }
    }
  }

  private static FixLoopException bad(String column, String what) {
    return new FixLoopException(
        FixLoopException.Kind.USER,
        "schedule column '"
            + column
            + "' holds "
            + what
            + ", not a time (milliseconds or a timestamp)");
  }
}
