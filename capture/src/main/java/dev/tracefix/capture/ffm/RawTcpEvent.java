package dev.tracefix.capture.ffm;

/**
 * A TCP state change or reset, still raw: real pid, addresses and the kernel address of the socket,
 * all of which only leave capture as keyed hashes.
 *
 * @param type NetTraceLayout.EVENT_TCP_STATE, EVENT_TCP_RESET_SENT or EVENT_TCP_RESET_RECEIVED
 * @param oldState TCP state before (state changes) or the socket's state (resets)
 * @param newState TCP state after, -1 for resets
 * @param durationNs connect latency on SYN_SENT -> ESTABLISHED, else 0
 * @param sock kernel address of the struct sock (0 for a reset sent without a socket)
 * @param sockBornNs when the socket was first seen; with {@code sock}, one connection
 * @param saddr local address bytes (network order; IPv4 in the first 4 bytes)
 * @param daddr remote address bytes
 */
public record RawTcpEvent(
    long tsNs,
    long durationNs,
    long startTimeNs,
    int type,
    int tgid,
    int tid,
    int oldState,
    int newState,
    int family,
    int protocol,
    int sport,
    int dport,
    long sock,
    long sockBornNs,
    byte[] saddr,
    byte[] daddr,
    String comm)
    implements RawRecord {
  /** Raw records are never printed: this keeps pids and addresses out of logs and messages. */
  @Override
  public String toString() {
    return "RawTcpEvent[type=" + type + ", redacted]";
  }
}
