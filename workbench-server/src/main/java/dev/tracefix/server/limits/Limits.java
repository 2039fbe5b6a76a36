package dev.tracefix.server.limits;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value for every {@link Limit}. The server starts from {@link #defaults()} (changed with
 * {@code serve --limit KEY=VALUE}); a notebook's front matter overrides them for that notebook, and
 * a cell's fence overrides the cell limits for that cell.
 *
 * <p>Sizes are binary: {@code 1GB} is 1024 MB, as in {@code -Xmx1g}. Durations take a unit ({@code
 * 500ms}, {@code 30s}, {@code 2m}, {@code 1h}); row counts may be written {@code 100_000}, {@code
 * 100k} or {@code 10M}.
 *
 * @param timeout wall time of one cell
 * @param maxRows rows one result may hold
 * @param maxBytes bytes the notebook's DuckDB may hold for one result
 * @param memory the notebook's DuckDB memory_limit, in bytes
 * @param threads the notebook's DuckDB threads
 * @param javaHeap the notebook's Java VM heap (-Xmx), in bytes
 * @param javaCpu CPUs the notebook's Java VM may use
 */
public record Limits(
    Duration timeout,
    long maxRows,
    long maxBytes,
    long memory,
    int threads,
    long javaHeap,
    double javaCpu) {

  private static final long KB = 1024;
  private static final long MB = KB * 1024;
  private static final long GB = MB * 1024;
  private static final long TB = GB * 1024;

  public Limits {
    check(Limit.TIMEOUT, timeout.toMillis() >= 100, "at least 100ms");
    check(Limit.MAX_ROWS, maxRows >= 1 && maxRows < Integer.MAX_VALUE, "between 1 and 2147483646");
    check(Limit.MAX_BYTES, maxBytes >= KB, "at least 1KB");
    check(Limit.MEMORY, memory >= 64 * MB, "at least 64MB");
    check(Limit.THREADS, threads >= 1 && threads <= 1024, "between 1 and 1024");
    check(Limit.JAVA_HEAP, javaHeap >= 32 * MB, "at least 32MB");
    check(Limit.JAVA_CPU, javaCpu >= 0.01 && javaCpu <= 1024, "between 0.01 and 1024");
  }

  /**
   * The built-in defaults: sized so that a handful of notebooks fit on a laptop, and a 10 M-row
   * result still pages.
   */
  public static Limits defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new Limits(
        Duration.ofMinutes(2),
        10_000_000,
        2 * GB,
        GB,
        Math.max(1, Math.min(4, cores)),
        512 * MB,
        1);
  }

  /** These limits with {@code values} (limit name → value as written) on top. */
  public Limits with(Map<String, String> values) {
    Limits out = this;
    for (Map.Entry<String, String> e : values.entrySet()) {
      Limit limit =
          Limit.ofKey(e.getKey())
              .orElseThrow(
                  () ->
                      new LimitException(
                          e.getKey(), "unknown limit '" + e.getKey() + "'; known: " + keys()));
      out = out.with(limit, e.getValue());
    }
    return out;
  }

  /** These limits with a cell's own values: only {@link Limit#perCell()} ones may be given. */
  public Limits withCell(Map<String, String> values) {
    for (String key : values.keySet()) {
      Limit.ofKey(key)
          .filter(l -> !l.perCell())
          .ifPresent(
              l -> {
                throw new LimitException(
                    key,
                    key
                        + " is a limit of the whole notebook ("
                        + l.meaning()
                        + "): set it in the"
                        + " front matter, 'limits:' then '  "
                        + key
                        + ": "
                        + value(l)
                        + "'");
              });
    }
    return with(values);
  }

  public Limits with(Limit limit, String text) {
    String v = text == null ? "" : text.strip();
    try {
      return switch (limit) {
        case TIMEOUT ->
            new Limits(duration(v), maxRows, maxBytes, memory, threads, javaHeap, javaCpu);
        case MAX_ROWS ->
            new Limits(timeout, count(v), maxBytes, memory, threads, javaHeap, javaCpu);
        case MAX_BYTES -> new Limits(timeout, maxRows, size(v), memory, threads, javaHeap, javaCpu);
        case MEMORY -> new Limits(timeout, maxRows, maxBytes, size(v), threads, javaHeap, javaCpu);
        case THREADS ->
            new Limits(
                timeout, maxRows, maxBytes, memory, Math.toIntExact(count(v)), javaHeap, javaCpu);
        case JAVA_HEAP -> new Limits(timeout, maxRows, maxBytes, memory, threads, size(v), javaCpu);
        case JAVA_CPU ->
            new Limits(
                timeout, maxRows, maxBytes, memory, threads, javaHeap, Double.parseDouble(v));
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new LimitException(limit.key(), limit.key() + "=" + v + ": " + expected(limit));
    }
  }

  /** The value of one limit as it is written, e.g. {@code 2m}, {@code 512MB}. */
  public String value(Limit limit) {
    return switch (limit) {
      case TIMEOUT -> formatDuration(timeout);
      case MAX_ROWS -> Long.toString(maxRows);
      case MAX_BYTES -> formatSize(maxBytes);
      case MEMORY -> formatSize(memory);
      case THREADS -> Integer.toString(threads);
      case JAVA_HEAP -> formatSize(javaHeap);
      case JAVA_CPU -> BigDecimal.valueOf(javaCpu).stripTrailingZeros().toPlainString();
    };
  }

  /** Every limit as {@code key=value}, space-separated: the line {@code serve} prints. */
  public String line() {
    List<String> parts = new ArrayList<>();
    for (Limit limit : Limit.values()) {
      parts.add(limit.key() + "=" + value(limit));
    }
    return String.join(" ", parts);
  }

  /** Whether the notebook limits (database, Java VM) are the same; cell limits may differ. */
  public boolean sameNotebookLimits(Limits other) {
    return memory == other.memory
        && threads == other.threads
        && javaHeap == other.javaHeap
        && javaCpu == other.javaCpu;
  }

  /**
   * A cell error's message for a limit that was hit: what happened, the limit with its value, and
   * where to raise it (a suggested value: twice the current one).
   *
   * @param what e.g. "the cell ran longer than its time limit"
   * @param cellKind the fence word of the cell, for the example ({@code sql}, {@code java})
   */
  public String exceeded(Limit limit, String what, String cellKind) {
    String now = limit.key() + "=" + value(limit);
    String raised = limit.key() + (limit.perCell() ? "=" : ": ") + doubled(limit);
    String where =
        limit.perCell()
            ? "raise it on the cell (```"
                + cellKind
                + " "
                + raised
                + "```) or for the notebook"
                + " (front matter 'limits:' then '  "
                + raised.replace("=", ": ")
                + "')"
            : "raise it for the notebook in its front matter ('limits:' then '  " + raised + "')";
    return what + " (" + now + "); " + where;
  }

  private String doubled(Limit limit) {
    return switch (limit) {
      case TIMEOUT -> formatDuration(timeout.multipliedBy(2));
      case MAX_ROWS -> Long.toString(Math.min(maxRows * 2, Integer.MAX_VALUE - 1));
      case MAX_BYTES -> formatSize(maxBytes * 2);
      case MEMORY -> formatSize(memory * 2);
      case THREADS -> Integer.toString(threads * 2);
      case JAVA_HEAP -> formatSize(javaHeap * 2);
      case JAVA_CPU -> BigDecimal.valueOf(javaCpu * 2).stripTrailingZeros().toPlainString();
    };
  }

  private static String keys() {
    List<String> keys = new ArrayList<>();
    for (Limit l : Limit.values()) {
      keys.add(l.key());
    }
    return String.join(", ", keys);
  }

  private static String expected(Limit limit) {
    return switch (limit) {
      case TIMEOUT -> "not a duration like 500ms, 30s, 2m or 1h";
      case MAX_ROWS -> "not a row count like 100000, 100_000, 100k or 10M";
      case MAX_BYTES, MEMORY, JAVA_HEAP -> "not a size like 512MB, 2GB or 64KB (binary units)";
      case THREADS -> "not a whole number of threads";
      case JAVA_CPU -> "not a number of CPUs like 0.5 or 2";
    };
  }

  private static void check(Limit limit, boolean ok, String range) {
    if (!ok) {
      throw new LimitException(limit.key(), limit.key() + " must be " + range);
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");
  private static final Pattern COUNT = Pattern.compile("(\\d[\\d_]*)\\s*(k|m)?");

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new NumberFormatException(text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  static long size(String text) {
    Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new NumberFormatException(text);
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    long factor =
        switch (unit.charAt(0)) {
          case 'k' -> KB;
          case 'm' -> MB;
          case 'g' -> GB;
          case 't' -> TB;
          default -> 1;
        };
    return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor)).longValueExact();
  }

  static long count(String text) {
    Matcher m = COUNT.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new NumberFormatException(text);
    }
    long n = Long.parseLong(m.group(1).replace("_", ""));
    if (m.group(2) == null) {
      return n;
    }
    return Math.multiplyExact(n, m.group(2).equals("k") ? 1_000L : 1_000_000L);
  }

  static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  static String formatSize(long bytes) {
    for (long unit : new long[] {TB, GB, MB, KB}) {
      if (bytes % unit == 0) {
        return bytes / unit + (unit == TB ? "TB" : unit == GB ? "GB" : unit == MB ? "MB" : "KB");
      }
    }
    return bytes + "B";
  }
}
