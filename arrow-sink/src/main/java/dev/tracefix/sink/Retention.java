package dev.tracefix.sink;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long each table keeps rows. {@code events} ages by event time, and default mode's {@code
 * syscall_stats} (the same calls, counted in the kernel) with them by the end of their interval;
 * {@code captures} removes a whole capture (with its events, processes, stacks and stats) once it
 * ended that long ago. A table not named keeps its rows.
 *
 * @param maxAge per table, the age after which rows are deleted
 */
public record Retention(Map<String, Duration> maxAge) {
  /** Tables a retention can name. */
  public static final Set<String> TABLES = Set.of("events", "captures");

  /** Events are kept 14 days unless configured otherwise. */
  public static final Retention DEFAULT = new Retention(Map.of("events", Duration.ofDays(14)));

  /** Keeps everything: for stores whose data is governed elsewhere. */
  public static final Retention KEEP_ALL = new Retention(Map.of());

  private static final Pattern AGE = Pattern.compile("(\\d{1,6})([dhm])");

  public Retention {
    for (var entry : maxAge.entrySet()) {
      if (!TABLES.contains(entry.getKey())) {
        throw new SinkException(
            SinkException.Kind.USER,
            "retention for unknown table '" + entry.getKey() + "'; tables: " + TABLES);
      }
      if (entry.getValue().isNegative() || entry.getValue().isZero()) {
        throw new SinkException(
            SinkException.Kind.USER,
            "retention for " + entry.getKey() + " must be positive, got " + entry.getValue());
      }
    }
    maxAge = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(maxAge));
  }

  /**
   * This retention with {@code table} kept for {@code age}, or forever when {@code age} is null.
   */
  public Retention with(String table, Duration age) {
    Map<String, Duration> next = new LinkedHashMap<>(maxAge);
    if (age == null) {
      next.remove(table);
    } else {
      next.put(table, age);
    }
    return new Retention(next);
  }

  /**
   * Parses {@code TABLE=AGE} (ages {@code 14d}, {@code 12h}, {@code 30m}, or {@code forever}) onto
   * this retention, e.g. {@code events=7d} or {@code captures=90d}.
   */
  public Retention with(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new SinkException(
          SinkException.Kind.USER,
          "retention '"
              + spec
              + "' is not TABLE=AGE (e.g. events=14d, captures=90d, events=forever)");
    }
    String table = spec.substring(0, eq).strip();
    String age = spec.substring(eq + 1).strip();
    if (age.equals("forever")) {
      return with(table, (Duration) null);
    }
    Matcher m = AGE.matcher(age);
    if (!m.matches()) {
      throw new SinkException(
          SinkException.Kind.USER,
          "retention age '"
              + age
              + "' for "
              + table
              + " is not N followed by d, h or m, or forever");
    }
    long n = Long.parseLong(m.group(1));
    Duration duration =
        switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
    return with(table, duration);
  }
}
