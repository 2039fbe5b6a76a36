package dev.tracefix.capture;

import java.util.Arrays;

/**
 * One interval's aggregate of a process's calls of one syscall with one outcome (and, for a call on
 * an inet socket, one peer), counted and timed in the kernel ({@link ProbeGroup#STATS}). Like
 * {@link SafeEvent} it holds keyed tokens only: no pid, no address.
 *
 * @param intervalStartNs wall-clock ns (the clock of {@link SafeEvent#timeNs()}) the interval began
 * @param intervalEndNs wall-clock ns it ended; the calls completed within it
 * @param processToken the process's keyed token, announced to the sink like an event's
 * @param syscall the syscall's name (x86_64 table)
 * @param errno positive errno of the failed calls, 0 for successful ones
 * @param peerHash keyed hash ({@code a_}) of the peer's address and port for calls on a connected
 *     inet socket (or connect/sendto with an address), else null
 * @param calls calls completed in the interval
 * @param totalNs their latencies (enter to exit) summed
 * @param bytes bytes the successful calls of a read/write-style syscall returned, summed; else 0
 * @param latencyBuckets calls per log2 latency bucket: index i counts latencies in [2^i, 2^(i+1))
 *     ns (0 ns in bucket 0; the last bucket open-ended); trailing empty buckets left out. Sums to
 *     {@code calls}
 * @param keyId the key of the token and hash
 */
public record SyscallStat(
    long intervalStartNs,
    long intervalEndNs,
    String processToken,
    String syscall,
    int errno,
    String peerHash,
    long calls,
    long totalNs,
    long bytes,
    long[] latencyBuckets,
    String keyId) {
  public SyscallStat {
    latencyBuckets = latencyBuckets.clone();
  }

  @Override
  public long[] latencyBuckets() {
    return latencyBuckets.clone();
  }

  /** The sum of the latency buckets: equal to {@link #calls()}. */
  public long bucketSum() {
    return Arrays.stream(latencyBuckets).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyscallStat s
        && intervalStartNs == s.intervalStartNs
        && intervalEndNs == s.intervalEndNs
        && java.util.Objects.equals(processToken, s.processToken)
        && java.util.Objects.equals(syscall, s.syscall)
        && errno == s.errno
        && java.util.Objects.equals(peerHash, s.peerHash)
        && calls == s.calls
        && totalNs == s.totalNs
        && bytes == s.bytes
        && Arrays.equals(latencyBuckets, s.latencyBuckets)
        && java.util.Objects.equals(keyId, s.keyId);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(processToken, syscall, errno, peerHash, intervalStartNs, calls)
            * 31
        + Arrays.hashCode(latencyBuckets);
  }

  @Override
  public String toString() {
    return "SyscallStat["
        + syscall
        + " errno="
        + errno
        + " calls="
        + calls
        + " process="
        + processToken
        + " peer="
        + peerHash
        + " buckets="
        + Arrays.toString(latencyBuckets)
        + "]";
  }
}
