package dev.tracefix.capture.ffm;

/**
 * One decoded kernel record, still raw: it holds the real pid and addresses and must never leave
 * capture's memory. Redaction turns it into a {@link dev.tracefix.capture.SafeEvent}.
 *
 * @param tsNs kernel monotonic time of the event
 * @param startTimeNs start_boottime of the process (ns since boot), part of its identity
 * @param ret syscall return value, negative errno on failure
 * @param family AF_INET (2), AF_INET6 (10) or 0 when no address was recorded
 * @param saddr source address bytes (network order; IPv4 in the first 4 bytes); {@link #NO_ADDRESS}
 *     when family is 0
 * @param daddr destination address bytes (network order; IPv4 in the first 4 bytes); {@link
 *     #NO_ADDRESS} when family is 0
 */
public record RawNetEvent(
    long tsNs,
    long durationNs,
    long startTimeNs,
    long ret,
    int type,
    int tgid,
    int tid,
    int fd,
    int state,
    int family,
    int sport,
    int dport,
    byte[] saddr,
    byte[] daddr,
    String comm)
    implements RawRecord {
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  /** The (shared, empty, hence unmodifiable) address of an event with family 0. */
  public static final byte[] NO_ADDRESS = new byte[0];

  public boolean isSocketWrite() {
    return type == NetTraceLayout.EVENT_SOCKET_WRITE;
  }

  public boolean isTcpRetransmit() {
    return type == NetTraceLayout.EVENT_TCP_RETRANSMIT;
  }

  /** Raw records are never printed: this keeps pids and addresses out of logs and messages. */
  @Override
  public String toString() {
    return "RawNetEvent[type=" + type + ", redacted]";
  }
}
