package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.tracefix.capture.SyscallStat;
import dev.tracefix.capture.pipeline.SyscallTable;
import dev.tracefix.capture.proc.ProcFs;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns the kernel's running totals in {@code syscall_stats} into one row per aggregate and
 * interval. The kernel never resets an entry while the probes run (a reset would race with an
 * increment on another CPU and lose it), so this keeps each key's previous totals and reports the
 * difference: the rows of all intervals sum exactly to what the kernel counted. Raw keys (pid,
 * address) live only in this object's memory; rows carry the keyed token and hash the {@link
 * Identities} give.
 *
 * <p>Entries of exited processes are deleted, so that the map holds the processes of the last
 * interval or two, not every process the capture ever saw: before a drain reads the map it asks
 * which processes of the previous read are gone (reaped, or their pid reused: no thread of theirs
 * can run a program again), reads their final totals with the rest, reports them, then deletes
 * their keys. A key is deleted once, after its last increment and its last row.
 */
public final class SyscallStatsDrain {
  /** Whether a process (tgid and leader start time, as in a key) has exited for good. */
  public interface Liveness {
    boolean gone(int tgid, long startTimeNs);

    /** By /proc: the pid has no entry, or one whose start time is another process's. */
    static Liveness of(ProcFs proc) {
      return (tgid, startTimeNs) -> {
        OptionalLong ticks = proc.startTimeTicks(tgid);
        return ticks.isEmpty() || ticks.getAsLong() != ProcFs.nanosToTicks(startTimeNs);
      };
    }
  }

  /** The process part of a key. */
  private record ProcessId(int tgid, long startTimeNs) {
    static ProcessId of(byte[] key) {
      ByteBuffer k = ByteBuffer.wrap(key).order(java.nio.ByteOrder.nativeOrder());
      return new ProcessId(
          k.getInt(StatsLayout.KEY_TGID), k.getLong(StatsLayout.KEY_START_TIME_NS));
    }
  }

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
  private final Liveness liveness;
  private final Map<RawKey, long[]> previous = new HashMap<>();

  /** The processes of the last read: the ones whose exit the next drain looks for. */
  private Set<ProcessId> seen = Set.of();

  private long retired;
  private int peakEntries;
  private long aggregated;

  public SyscallStatsDrain(BpfMaps maps, Identities identities) {
    this(maps, identities, Liveness.of(ProcFs.system()));
  }

  public SyscallStatsDrain(BpfMaps maps, Identities identities, Liveness liveness) {
    this.maps = maps;
    this.identities = identities;
    this.liveness = liveness;
  }

  /**
   * The calls completed since the last drain, as rows of the interval [{@code startNs}, {@code
   * endNs}] (wall clock). After the probes are detached, one last drain reads the final totals.
   */
  public List<SyscallStat> drain(long startNs, long endNs) {
    // Asked before the read: a process gone by now made its last call before the read.
    Set<ProcessId> exited = new HashSet<>();
    for (ProcessId p : seen) {
      if (liveness.gone(p.tgid(), p.startTimeNs())) {
        exited.add(p);
      }
    }
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
      aggregated += calls;
    }
    retire(now, exited);
    return rows;
  }

  /** Deletes the keys of {@code exited} processes, whose final totals this drain reported. */
  private void retire(Map<RawKey, long[]> now, Set<ProcessId> exited) {
    peakEntries = Math.max(peakEntries, now.size());
    List<byte[]> gone = new ArrayList<>();
    Set<ProcessId> live = new HashSet<>();
    for (RawKey k : now.keySet()) {
      ProcessId p = ProcessId.of(k.bytes());
      if (exited.contains(p)) {
        gone.add(k.bytes());
        previous.remove(k);
      } else {
        live.add(p);
      }
    }
    if (!gone.isEmpty()) {
      retired += maps.deleteKeys(StatsLayout.MAP, StatsLayout.KEY_SIZE, gone);
    }
    seen = live;
  }

  /** Keys of exited processes deleted from the map so far. */
  public long retiredKeys() {
    return retired;
  }

  /** The most keys one drain found in the map. */
  public int peakEntries() {
    return peakEntries;
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

  /** Calls delivered in rows so far: the sum of {@code calls} over every row drained. */
  public long aggregatedCalls() {
    return aggregated;
  }

  /** Calls the kernel saw but could not aggregate because the map was full. */
  public long overflow() {
    return maps.sumPerCpuU64(StatsLayout.OVERFLOW_MAP, 0);
  }
}
