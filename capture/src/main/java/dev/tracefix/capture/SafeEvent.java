package dev.tracefix.capture;

/**
 * One redacted event: the only shape in which an event leaves {@code capture}. It holds no raw pid,
 * no raw address and no payload bytes; identities are keyed tokens, addresses keyed hashes.
 *
 * @param timeNs wall-clock time in nanoseconds since the epoch (kernel monotonic time plus the
 *     boot offset measured at capture start)
 * @param type what happened
 * @param processToken HMAC token of the process identity (boot id, pid, start time) under {@code keyId}
 * @param durationNs syscall latency, enter to exit; 0 where the event has no duration
 * @param bytes bytes the syscall reported, 0 on error or where not applicable
 * @param errno positive errno of a failed syscall, 0 on success
 * @param peerHash keyed hash of the remote address and port, or null when the event has none
 * @param keyId id of the key that produced the tokens and hashes in this event
 * @param syscall the syscall's name (x86_64 table) for {@link EventType#SYSCALL}, else null
 * @param fd the file descriptor the syscall acted on, or -1 when it takes none (or for events
 *     that are not syscalls, such as retransmits)
 * @param connectionHash keyed hash of the kernel socket: joins the TCP events of one connection
 *     (state changes, resets); null for other events and for a reset sent without a socket
 * @param tcpOldState TCP state before a state change, or the socket's state at a reset (e.g.
 *     {@code SYN_SENT}); null for other events
 * @param tcpNewState TCP state after a state change; null for resets and other events
 * @param family 2 (AF_INET) or 10 (AF_INET6) for TCP events, else 0
 * @param protocol 6 (TCP) for TCP events, else 0
 * @param localPort local port of a TCP event, else 0 (kept in the clear; policy decides)
 * @param remotePort remote port of a TCP event, else 0 (kept in the clear; policy decides)
 * @param localHash keyed hash of the local address and port of a TCP event, else null
 * @param exitStatus for {@link EventType#PROCESS_EXIT}: the wait(2) status (exit code shifted
 *     left by 8, or the terminating signal number); -1 for other events
 * @param symbol for {@link EventType#UPROBE}: the probed function's name, else null
 * @param binaryHash for {@link EventType#UPROBE}: keyed hash ({@code e_}) of the real path of the
 *     binary defining the function, the same hash as {@link SafeProcess#exeHash()} of a process
 *     running that file; else null. The path itself never leaves capture
 * @param returnValue for {@link EventType#UPROBE}: the function's return register (for a function
 *     returning a pointer, an address: the policy decides whether it is kept), else 0
 * @param stackId id of the event's stack ({@link SafeStack#stackId()}, delivered to the sink
 *     before the first event naming it), or 0 when the event has none
 * @param threadToken keyed token ({@code t_}) of the thread (boot id, process, thread id) for
 *     per-thread events (syscalls, uprobes, off-CPU time), else null
 * @param waitState for {@link EventType#OFF_CPU}: {@code sleeping}, {@code blocked}
 *     (uninterruptible), {@code preempted} or {@code stopped}; else null
 * @param childToken for {@link EventType#PROCESS_FORK}: the process token of the new child, else
 *     null
 * @param previousToken for {@link EventType#PROCESS_EXEC} of a process already announced: the
 *     token the process had before it executed a new program (each program a process runs gets
 *     its own token, announced with its own comm, exe hash and build id); else null
 */
public record SafeEvent(
    long timeNs,
    EventType type,
    String processToken,
    long durationNs,
    long bytes,
    int errno,
    String peerHash,
    String keyId,
    String syscall,
    int fd,
    String connectionHash,
    String tcpOldState,
    String tcpNewState,
    int family,
    int protocol,
    int localPort,
    int remotePort,
    String localHash,
    int exitStatus,
    String symbol,
    String binaryHash,
    long returnValue,
    long stackId,
    String threadToken,
    String waitState,
    String childToken,
    String previousToken) {
  /** An event without a previous token (anything but the exec of an announced process). */
  public SafeEvent(
      long timeNs,
      EventType type,
      String processToken,
      long durationNs,
      long bytes,
      int errno,
      String peerHash,
      String keyId,
      String syscall,
      int fd,
      String connectionHash,
      String tcpOldState,
      String tcpNewState,
      int family,
      int protocol,
      int localPort,
      int remotePort,
      String localHash,
      int exitStatus,
      String symbol,
      String binaryHash,
      long returnValue,
      long stackId,
      String threadToken,
      String waitState,
      String childToken) {
    this(
        timeNs, type, processToken, durationNs, bytes, errno, peerHash, keyId, syscall, fd,
        connectionHash, tcpOldState, tcpNewState, family, protocol, localPort, remotePort,
        localHash, exitStatus, symbol, binaryHash, returnValue, stackId, threadToken, waitState,
        childToken, null);
  }

  /** An event without stack, thread, wait state or child. */
  public SafeEvent(
      long timeNs,
      EventType type,
      String processToken,
      long durationNs,
      long bytes,
      int errno,
      String peerHash,
      String keyId,
      String syscall,
      int fd,
      String connectionHash,
      String tcpOldState,
      String tcpNewState,
      int family,
      int protocol,
      int localPort,
      int remotePort,
      String localHash,
      int exitStatus,
      String symbol,
      String binaryHash,
      long returnValue) {
    this(
        timeNs, type, processToken, durationNs, bytes, errno, peerHash, keyId, syscall, fd,
        connectionHash, tcpOldState, tcpNewState, family, protocol, localPort, remotePort,
        localHash, exitStatus, symbol, binaryHash, returnValue, 0, null, null, null);
  }

  /** This event with a stack, thread, wait state and child (the fields schema v6 added). */
  public SafeEvent withThreadFields(
      long stackId, String threadToken, String waitState, String childToken) {
    return new SafeEvent(
        timeNs, type, processToken, durationNs, bytes, errno, peerHash, keyId, syscall, fd,
        connectionHash, tcpOldState, tcpNewState, family, protocol, localPort, remotePort,
        localHash, exitStatus, symbol, binaryHash, returnValue, stackId, threadToken, waitState,
        childToken, previousToken);
  }

  /** This event with the token its process had before an exec (the field schema v7 added). */
  public SafeEvent withPreviousToken(String previousToken) {
    return new SafeEvent(
        timeNs, type, processToken, durationNs, bytes, errno, peerHash, keyId, syscall, fd,
        connectionHash, tcpOldState, tcpNewState, family, protocol, localPort, remotePort,
        localHash, exitStatus, symbol, binaryHash, returnValue, stackId, threadToken, waitState,
        childToken, previousToken);
  }

  /** An event that is not a uprobe call. */
  public SafeEvent(
      long timeNs,
      EventType type,
      String processToken,
      long durationNs,
      long bytes,
      int errno,
      String peerHash,
      String keyId,
      String syscall,
      int fd,
      String connectionHash,
      String tcpOldState,
      String tcpNewState,
      int family,
      int protocol,
      int localPort,
      int remotePort,
      String localHash,
      int exitStatus) {
    this(
        timeNs, type, processToken, durationNs, bytes, errno, peerHash, keyId, syscall, fd,
        connectionHash, tcpOldState, tcpNewState, family, protocol, localPort, remotePort,
        localHash, exitStatus, null, null, 0);
  }

  /** An event without connection fields (anything but the TCP state and reset events). */
  public SafeEvent(
      long timeNs,
      EventType type,
      String processToken,
      long durationNs,
      long bytes,
      int errno,
      String peerHash,
      String keyId,
      String syscall,
      int fd) {
    this(
        timeNs, type, processToken, durationNs, bytes, errno, peerHash, keyId, syscall, fd, null,
        null, null, 0, 0, 0, 0, null, -1);
  }

  /** An event that is not a syscall and names no fd. */
  public SafeEvent(
      long timeNs,
      EventType type,
      String processToken,
      long durationNs,
      long bytes,
      int errno,
      String peerHash,
      String keyId) {
    this(timeNs, type, processToken, durationNs, bytes, errno, peerHash, keyId, null, -1);
  }
}
