package dev.tracefix.server.views.flame;

import dev.tracefix.server.views.Selection;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a selection's stacks: rows grouped by {@code stack_id} in DuckDB, joined to the store's
 * {@code stacks} ({@code frames}: the user half, leaf first; {@code kernel_frames}: the kernel
 * half, leaf first), so the server only ever holds one row per distinct stack.
 */
public final class FlameQuery {
  /** Distinct stacks read at most, the heaviest first; the rest count in {@code withoutStack}. */
  public static final int MAX_STACKS = 20_000;

  /** What each stack weighs. */
  public enum Weight {
    EVENTS,
    DURATION;

    public static Weight parse(String word) {
      return switch (word == null ? "events" : word.toLowerCase(Locale.ROOT)) {
        case "events", "count" -> EVENTS;
        case "duration", "duration_ns", "time" -> DURATION;
        default ->
            throw new IllegalArgumentException(
                "weight must be 'events' or 'duration', not '" + word + "'");
      };
    }

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One distinct stack, root first.
   *
   * @param weight its rows or their nanoseconds
   */
  public record Stack(List<Frame> frames, long weight) {}

  /** A selection's stacks with its counts. */
  public record Stacks(List<Stack> stacks, long events, long withoutStack) {
    public long total() {
      return stacks.stream().mapToLong(Stack::weight).sum();
    }
  }

  private FlameQuery() {}

  /**
   * @param store the event store's schema holding {@code stacks}
   * @throws IllegalArgumentException when the selection has no {@code stack_id}, or there is no
   *     store
   */
  public static Stacks read(Connection connection, Selection selection, String store, Weight weight)
      throws SQLException {
    selection.require("stack_id", "flame graph", "the stack each event was captured with");
    if (weight == Weight.DURATION) {
      selection.require("duration_ns", "flame graph by duration", "each event's duration");
    }
    if (store == null) {
      throw new IllegalArgumentException(
          "the flame graph reads the event store's stacks, and this workbench has no store");
    }
    boolean byCapture = selection.has("capture_id");
    String key = byCapture ? "capture_id, stack_id" : "stack_id";
    String w =
        weight == Weight.DURATION
            ? "sum(greatest(coalesce(duration_ns, 0), 0))::BIGINT"
            : "count(*)";
    String sql =
        "WITH sel AS (SELECT "
            + (byCapture ? selection.column("capture_id", "VARCHAR") + " AS capture_id, " : "")
            + selection.column("stack_id", "BIGINT")
            + " AS stack_id, "
            + selection.column("duration_ns", "BIGINT")
            + " AS duration_ns FROM "
            + selection.relation()
            + "),"
            + " agg AS (SELECT "
            + key
            + ", count(*) AS n, "
            + w
            + " AS w FROM sel"
            + "  WHERE stack_id IS NOT NULL AND stack_id <> 0 GROUP BY "
            + key
            + "),"
            + " st AS (SELECT DISTINCT ON ("
            + key
            + ") "
            + key
            + ", frames, kernel_frames FROM "
            + store
            + ".stacks)"
            + " SELECT st.frames, st.kernel_frames, agg.w, agg.n FROM agg JOIN st USING ("
            + key
            + ")"
            + " ORDER BY agg.w DESC, agg.n DESC LIMIT "
            + MAX_STACKS;
    List<Stack> stacks = new ArrayList<>();
    long drawnRows = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<Frame> frames = new ArrayList<>();
        List<String> user = strings(rs.getArray(1));
        List<String> kernel = strings(rs.getArray(2));
        for (int i = user.size() - 1; i >= 0; i--) {
          frames.add(Frame.user(user.get(i)));
        }
        for (int i = kernel.size() - 1; i >= 0; i--) {
          frames.add(Frame.kernel(kernel.get(i)));
        }
        if (frames.isEmpty()) {
          frames.add(new Frame("[unknown]", Frame.Kind.USER));
        }
        stacks.add(new Stack(frames, rs.getLong(3)));
        drawnRows += rs.getLong(4);
      }
    }
    long events;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + selection.relation())) {
      rs.next();
      events = rs.getLong(1);
    }
    return new Stacks(stacks, events, events - drawnRows);
  }

  private static List<String> strings(Array array) throws SQLException {
    List<String> out = new ArrayList<>();
    if (array == null) {
      return out;
    }
    for (Object o : (Object[]) array.getArray()) {
      out.add(o == null ? "[unknown]" : o.toString());
    }
    return out;
  }
}
