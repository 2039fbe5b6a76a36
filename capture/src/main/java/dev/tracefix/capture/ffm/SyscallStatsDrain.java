package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.tracefix.capture.SyscallStat;
import dev.tracefix.capture.pipeline.SyscallTable;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the kernel's running totals in {@code syscall_stats} into one row per aggregate and
 * interval. The kernel never resets or deletes an entry while the probes run (a delete would race
 * with an increment on another CPU and lose it), so this keeps each key's previous totals and
 * reports the difference: the rows of all intervals sum exactly to what the kernel counted. Raw
 * keys (pid, address) live only in this object's memory; rows carry the keyed token and hash the
 * {@link Identities} give.
 */
public final class SyscallStatsDrain {
  /** Keyed identities for a row, from the capture's assembler (which announces processes). */
  public interface Identities {
    String processToken(int tgid, long startTimeNs);

    /** Keyed hash of an inet peer (family 2 or 10), or null for none. */
    String peerHash(int family, byte[] address, int port);

    String keyId();
  }

  /** A key as raw bytes: compared and hashed by content. */
  private record RawKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RawKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  /** Totals of one key: calls, total ns, bytes, then the buckets. */
  private static final int TOTALS = 3 + StatsLayout.BUCKETS;

  private static final int FIRST_BUCKET = 3;

  private final BpfMaps maps;
  private final Identities identities;
  private final Map<RawKey, long[]> previous = new HashMap<>();

  public SyscallStatsDrain(BpfMaps maps, Identities identities) {
    this.maps = maps;
    this.identities = identities;
  }

  /**
   * The calls completed since the last drain, as rows of the interval [{@code startNs}, {@code
   * endNs}] (wall clock). After the probes are detached, one last drain reads the final totals.
   */
  public List<SyscallStat> drain(long startNs, long endNs) {
    Map<RawKey, long[]> now = new HashMap<>();
    maps.forEachPerCpu(
        StatsLayout.MAP,
        StatsLayout.KEY_SIZE,
        StatsLayout.VALUE_SIZE,
        (key, byCpu) -> now.put(new RawKey(key.toArray(JAVA_BYTE)), sum(byCpu)));
    List<SyscallStat> rows = new ArrayList<>();
    for (var e : now.entrySet()) {
      long[] before = previous.getOrDefault(e.getKey(), new long[TOTALS]);
      long[] after = e.getValue();
      long calls = after[0] - before[0];
      if (calls <= 0) {
        continue;
      }
      long[] buckets = new long[StatsLayout.BUCKETS];
      int last = -1;
      for (int b = 0; b < buckets.length; b++) {
        buckets[b] = after[FIRST_BUCKET + b] - before[FIRST_BUCKET + b];
        if (buckets[b] != 0) {
          last = b;
        }
      }
      rows.add(
          row(
              e.getKey().bytes(),
              startNs,
              endNs,
              calls,
              after[1] - before[1],
              after[2] - before[2],
              Arrays.copyOf(buckets, last + 1)));
      previous.put(e.getKey(), after);
    }
    return rows;
  }

  /**
   * One key's totals over the CPUs. The program counts the call, then its time and bytes, then its
   * bucket: a CPU's value read in between has one call more than its buckets. Such a value is taken
   * with the buckets' count (the call is reported with the next interval, whose totals are
   * consistent again), so every row's buckets sum to its calls and the totals never go backwards.
   */
  private static long[] sum(MemorySegment[] byCpu) {
    long[] totals = new long[TOTALS];
    for (MemorySegment v : byCpu) {
      long calls = v.get(JAVA_LONG_UNALIGNED, StatsLayout.VALUE_CALLS);
      long[] buckets = new long[StatsLayout.BUCKETS];
      long bucketSum = 0;
      for (int b = 0; b < buckets.length; b++) {
        buckets[b] = v.get(JAVA_LONG_UNALIGNED, StatsLayout.VALUE_HIST + 8L * b);
        bucketSum += buckets[b];
      }
      totals[0] += Math.min(calls, bucketSum);
      totals[1] += v.get(JAVA_LONG_UNALIGNED, StatsLayout.VALUE_TOTAL_NS);
      totals[2] += v.get(JAVA_LONG_UNALIGNED, StatsLayout.VALUE_BYTES);
      for (int b = 0; b < buckets.length; b++) {
        totals[FIRST_BUCKET + b] += buckets[b];
      }
    }
    return totals;
  }

  private SyscallStat row(
      byte[] key, long startNs, long endNs, long calls, long totalNs, long bytes, long[] buckets) {
    ByteBuffer k = ByteBuffer.wrap(key).order(java.nio.ByteOrder.nativeOrder());
    int tgid = k.getInt(StatsLayout.KEY_TGID);
    int nr = k.getInt(StatsLayout.KEY_NR);
    int err = k.getInt(StatsLayout.KEY_ERR);
    int family = Short.toUnsignedInt(k.getShort(StatsLayout.KEY_FAMILY));
    int port = Short.toUnsignedInt(k.getShort(StatsLayout.KEY_DPORT));
    long startTime = k.getLong(StatsLayout.KEY_START_TIME_NS);
    byte[] address =
        Arrays.copyOfRange(
            key, StatsLayout.KEY_DADDR, StatsLayout.KEY_DADDR + StatsLayout.ADDR_LEN);
    return new SyscallStat(
        startNs,
        endNs,
        identities.processToken(tgid, startTime),
        SyscallTable.nameOf(nr),
        err,
        family == 0 ? null : identities.peerHash(family, address, port),
        calls,
        totalNs,
        bytes,
        buckets,
        identities.keyId());
  }

  /** Calls the kernel saw but could not aggregate because the map was full. */
  public long overflow() {
    return maps.sumPerCpuU64(StatsLayout.OVERFLOW_MAP, 0);
  }
}
