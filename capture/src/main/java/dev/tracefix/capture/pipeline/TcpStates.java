package dev.tracefix.capture.pipeline;

/** Names of the kernel's TCP states (include/net/tcp_states.h), as the tcp_state columns hold. */
public final class TcpStates {
  private TcpStates() {}

  public static String name(int state) {
    return switch (state) {
      case 1 -> "ESTABLISHED";
      case 2 -> "SYN_SENT";
      case 3 -> "SYN_RECV";
      case 4 -> "FIN_WAIT1";
      case 5 -> "FIN_WAIT2";
      case 6 -> "TIME_WAIT";
      case 7 -> "CLOSE";
      case 8 -> "CLOSE_WAIT";
      case 9 -> "LAST_ACK";
      case 10 -> "LISTEN";
      case 11 -> "CLOSING";
      case 12 -> "NEW_SYN_RECV";
      case 13 -> "BOUND_INACTIVE";
      default -> "STATE_" + state;
    };
  }
}
