package dev.tracefix.capture;

/** The kinds of safe event capture produces. The name is what lands in the {@code type} column. */
public enum EventType {
  /** A completed {@code sendto} syscall (also what libc's {@code send} becomes on x86_64). */
  SENDTO,
  /**
   * The kernel retransmitted a TCP segment ({@code tcp:tcp_retransmit_skb}). Like every TCP event,
   * the socket owner's (see {@link #TCP_STATE}).
   */
  TCP_RETRANSMIT,
  /** write(2)/writev(2) on a socket: how JVM services send. */
  SOCKET_WRITE,
  /**
   * A completed syscall of the configured set ({@code raw_syscalls}), with its name, latency,
   * result and fd. A socket write is both a {@code socket_write} and, when {@code write} is in the
   * set, a {@code syscall}.
   */
  SYSCALL,
  /**
   * A TCP socket of a traced process changed state ({@code sock:inet_sock_set_state}); the connect
   * latency rides on SYN_SENT -> ESTABLISHED. TCP events carry the socket owner's process token
   * (the process that connected, listened on, accepted, read or wrote it), never that of the task
   * the kernel happened to interrupt; without a filter, a socket with no known owner is the {@code
   * [unattributed]} process's.
   */
  TCP_STATE,
  /**
   * This host sent a TCP reset ({@code tcp:tcp_send_reset}) from an owned socket; one sent without
   * a socket (a SYN to a closed port) is unattributed.
   */
  TCP_RESET_SENT,
  /** A traced socket received a TCP reset ({@code tcp:tcp_receive_reset}). */
  TCP_RESET_RECEIVED,
  /** A traced process executed a program ({@code sched:sched_process_exec}). */
  PROCESS_EXEC,
  /**
   * The last thread of a traced process exited ({@code sched:sched_process_exit}), with its wait
   * status. Only reported when capture follows a pid or command (not system-wide).
   */
  PROCESS_EXIT,
  /**
   * A traced process returned from a function named by a {@link UprobeTarget} (uprobe + uretprobe):
   * {@code symbol}, {@code binaryHash}, {@code durationNs}, {@code returnValue}.
   */
  UPROBE,
  /**
   * A traced thread was off the CPU for at least the configured minimum ({@code
   * sched:sched_switch}): {@code durationNs}, {@code waitState}, {@code threadToken}, its stack
   * when it left the CPU.
   */
  OFF_CPU,
  /** A traced process forked a new process (not a thread): {@code childToken}. */
  PROCESS_FORK;

  public String columnValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
