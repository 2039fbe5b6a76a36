package dev.tracefix.capture.ffm;

/**
 * Mirror of {@code bpf/syscall_stats.h}: the key and value of the {@code syscall_stats} per-CPU
 * hash map, by byte offset (checked against the C compiler's by {@code StatsLayoutTest}).
 */
public final class StatsLayout {
  private StatsLayout() {}

  public static final int BUCKETS = 32;

  public static final int KEY_SIZE = 40;
  public static final int KEY_TGID = 0;
  public static final int KEY_NR = 4;
  public static final int KEY_ERR = 8;
  public static final int KEY_FAMILY = 12;
  public static final int KEY_DPORT = 14;
  public static final int KEY_START_TIME_NS = 16;
  public static final int KEY_DADDR = 24;
  public static final int ADDR_LEN = 16;

  public static final int VALUE_SIZE = 24 + 8 * BUCKETS;
  public static final int VALUE_CALLS = 0;
  public static final int VALUE_TOTAL_NS = 8;
  public static final int VALUE_BYTES = 16;
  public static final int VALUE_HIST = 24;

  /** The map's name in the BPF object. */
  public static final String MAP = "syscall_stats";

  /** Calls that found the map full and were counted nowhere else (a per-CPU u64 array). */
  public static final String OVERFLOW_MAP = "stats_overflow";
}
