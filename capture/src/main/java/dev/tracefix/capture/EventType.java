package dev.tracefix.capture;

/** The kinds of safe event capture produces. The name is what lands in the {@code type} column. */
public enum EventType {
  /** A completed {@code sendto} syscall (also what libc's {@code send} becomes on x86_64). */
  SENDTO,
  /** The kernel retransmitted a TCP segment ({@code tcp:tcp_retransmit_skb}). */
  TCP_RETRANSMIT,
  /** write(2)/writev(2) on a socket: how JVM services send. */
  SOCKET_WRITE;

  public String columnValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
