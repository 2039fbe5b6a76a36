package dev.tracefix.capture;

import dev.tracefix.capture.CaptureException.Kind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Default mode's in-kernel aggregation ({@link ProbeGroup#STATS}): how often the aggregates are
 * drained into {@code syscall_stats} rows, and from what latency a successful call of each family
 * is streamed as a {@code syscall} record (failed calls always are).
 *
 * @param interval drain period (default 1 s)
 * @param slowCall per family name ({@link #FAMILIES}): a successful call at least this slow is
 *     streamed; {@link Duration#ZERO} streams none by latency. Families not named keep their
 *     default ({@link #DEFAULT_SLOW_CALL})
 * @param fullFor with {@code fullEvery}: stream every call (raw_syscalls attached, as {@code
 *     --probes full}) for this long at the start of every {@code fullEvery}; null for never
 * @param fullEvery the duty cycle's period (e.g. 1 s in 20 s); null for none
 * @param mapEntries capacity of the kernel's aggregate map, in keys (process, syscall, errno,
 *     peer); the keys of exited processes are deleted after their last drain, so it needs to hold
 *     the keys of an interval or two, not of the whole capture (default {@link
 *     #DEFAULT_MAP_ENTRIES}). A call that finds it full is counted as overflow, not aggregated
 */
public record StatsConfig(
    Duration interval,
    Map<String, Duration> slowCall,
    Duration fullFor,
    Duration fullEvery,
    int mapEntries) {
  /** The aggregate map's capacity unless configured: bpf/syscall_stats.bpf.h's max_entries. */
  public static final int DEFAULT_MAP_ENTRIES = 4096;

  /** The syscall families the stats group attaches, by name, with their syscalls. */
  public static final Map<String, List<String>> FAMILIES = families();

  /**
   * Default thresholds: a receive or read may block for a long time by design (a server waiting for
   * the next request), so its default is high; the rest are calls that should be quick.
   */
  public static final Map<String, Duration> DEFAULT_SLOW_CALL =
      Map.of(
          "connect", Duration.ofMillis(100),
          "send", Duration.ofMillis(50),
          "recv", Duration.ofSeconds(1),
          "close", Duration.ofMillis(50),
          "open", Duration.ofMillis(50));

  public static final StatsConfig DEFAULT = new StatsConfig(Duration.ofSeconds(1), Map.of());

  /** Aggregation without a duty-cycled full window. */
  public StatsConfig(Duration interval, Map<String, Duration> slowCall) {
    this(interval, slowCall, null, null);
  }

  /** With the default map capacity. */
  public StatsConfig(
      Duration interval, Map<String, Duration> slowCall, Duration fullFor, Duration fullEvery) {
    this(interval, slowCall, fullFor, fullEvery, DEFAULT_MAP_ENTRIES);
  }

  /** This configuration with the aggregate map holding at most {@code entries} keys. */
  public StatsConfig withMapEntries(int entries) {
    return new StatsConfig(interval, slowCall, fullFor, fullEvery, entries);
  }

  public StatsConfig {
    if (interval == null || interval.toMillis() < 10) {
      throw new CaptureException(
          Kind.USER,
          "the syscall stats interval must be at least 10ms, got "
              + (interval == null ? "none" : interval.toMillis() + "ms"));
    }
    for (var e : slowCall.entrySet()) {
      if (!FAMILIES.containsKey(e.getKey())) {
        throw new CaptureException(
            Kind.USER,
            "unknown syscall family '"
                + e.getKey()
                + "' for a slow-call threshold; use one of "
                + String.join(", ", FAMILIES.keySet()));
      }
      if (e.getValue() == null || e.getValue().isNegative()) {
        throw new CaptureException(
            Kind.USER, "the slow-call threshold of " + e.getKey() + " must not be negative");
      }
    }
    slowCall = Map.copyOf(slowCall);
    if (mapEntries < 16 || mapEntries > 1 << 20) {
      throw new CaptureException(
          Kind.USER, "the syscall stats map holds 16 to 1048576 keys, got " + mapEntries);
    }
    if ((fullFor == null) != (fullEvery == null)
        || (fullFor != null && (fullFor.toMillis() < 10 || fullEvery.compareTo(fullFor) <= 0))) {
      throw new CaptureException(
          Kind.USER,
          "a duty-cycled full window is ON/PERIOD with 10ms <= ON < PERIOD (e.g. 1s/20s), got "
              + fullFor
              + "/"
              + fullEvery);
    }
  }

  /** Whether full streaming is switched on for part of every period. */
  public boolean dutyCycled() {
    return fullFor != null;
  }

  /** This configuration with a duty-cycled full window parsed from e.g. {@code 1s/20s}. */
  public StatsConfig withFullDuty(String spec) {
    int slash = spec.indexOf('/');
    if (slash <= 0) {
      throw new CaptureException(
          Kind.USER, "a duty-cycled full window is ON/PERIOD (e.g. 1s/20s), got '" + spec + "'");
    }
    return new StatsConfig(
        interval,
        slowCall,
        parseDuration(spec.substring(0, slash)),
        parseDuration(spec.substring(slash + 1)),
        mapEntries);
  }

  /** The threshold of {@code family}: configured, else its default. */
  public Duration slowCallOf(String family) {
    return slowCall.getOrDefault(family, DEFAULT_SLOW_CALL.get(family));
  }

  /** This configuration with {@code family}'s threshold parsed from e.g. {@code recv=200ms}. */
  public StatsConfig withSlowCall(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new CaptureException(
          Kind.USER,
          "a slow-call threshold is FAMILY=DURATION (e.g. recv=200ms), got '" + spec + "'");
    }
    Map<String, Duration> all = new LinkedHashMap<>(slowCall);
    all.put(
        spec.substring(0, eq).strip().toLowerCase(Locale.ROOT),
        parseDuration(spec.substring(eq + 1)));
    return new StatsConfig(interval, all, fullFor, fullEvery, mapEntries);
  }

  /** {@code 250ms}, {@code 2s}, {@code 500us}, {@code 0}. */
  public static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.equals("0")) {
        return Duration.ZERO;
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("us")) {
        return Duration.ofNanos(1000 * Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new CaptureException(
        Kind.USER, "not a duration: '" + text + "' (use e.g. 250ms, 2s, 500us, 0)");
  }

  private static Map<String, List<String>> families() {
    Map<String, List<String>> f = new LinkedHashMap<>();
    f.put("connect", List.of("connect", "accept", "accept4"));
    f.put("send", List.of("sendto", "sendmsg", "write", "writev"));
    f.put("recv", List.of("recvfrom", "recvmsg", "read", "readv"));
    f.put("close", List.of("close", "shutdown"));
    f.put("open", List.of("openat"));
    return java.util.Collections.unmodifiableMap(f);
  }
}
