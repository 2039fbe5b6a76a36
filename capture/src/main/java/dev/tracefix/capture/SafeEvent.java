package dev.tracefix.capture;

/**
 * One redacted event: the only shape in which an event leaves {@code capture}. It holds no raw pid,
 * no raw address and no payload bytes; identities are keyed tokens, addresses keyed hashes.
 *
 * @param timeNs wall-clock time in nanoseconds since the epoch (kernel monotonic time plus the boot
 *     offset measured at capture start)
 * @param type what happened
 * @param processToken HMAC token of the process identity (boot id, pid, start time) under {@code
 *     keyId}
 * @param durationNs syscall latency, enter to exit; 0 where the event has no duration
 * @param bytes bytes the syscall reported, 0 on error or where not applicable
 * @param errno positive errno of a failed syscall, 0 on success
 * @param peerHash keyed hash of the remote address and port, or null when the event has none
 * @param keyId id of the key that produced the tokens and hashes in this event
 * @param syscall the syscall's name (x86_64 table) for {@link EventType#SYSCALL}, else null
 * @param fd the file descriptor the syscall acted on, or -1 when it takes none (or for events that
 *     are not syscalls, such as retransmits)
 * @param connectionHash keyed hash of the kernel socket: joins the TCP events of one connection
 *     (state changes, resets); null for other events and for a reset sent without a socket
 * @param tcpOldState TCP state before a state change, or the socket's state at a reset (e.g. {@code
 *     SYN_SENT}); null for other events
 * @param tcpNewState TCP state after a state change; null for resets and other events
 * @param family 2 (AF_INET) or 10 (AF_INET6) for TCP events, else 0
 * @param protocol 6 (TCP) for TCP events, else 0
 * @param localPort local port of a TCP event, else 0 (kept in the clear; policy decides)
 * @param remotePort remote port of a TCP event, else 0 (kept in the clear; policy decides)
 * @param localHash keyed hash of the local address and port of a TCP event, else null
 * @param exitStatus for {@link EventType#PROCESS_EXIT}: the wait(2) status (exit code shifted left
 *     by 8, or the terminating signal number); -1 for other events
 * @param symbol for {@link EventType#UPROBE}: the probed function's name, else null
 * @param binaryHash for {@link EventType#UPROBE}: keyed hash ({@code e_}) of the real path of the
 *     binary defining the function, the same hash as {@link SafeProcess#exeHash()} of a process
 *     running that file; else null. The path itself never leaves capture
 * @param returnValue for {@link EventType#UPROBE}: the function's return register (for a function
 *     returning a pointer, an address: the policy decides whether it is kept), else 0
 * @param stackId id of the event's stack ({@link SafeStack#stackId()}, delivered to the sink before
 *     the first event naming it), or 0 when the event has none
 * @param threadToken keyed token ({@code t_}) of the thread (boot id, process, thread id) for
 *     per-thread events (syscalls, uprobes, off-CPU time), else null
 * @param waitState for {@link EventType#OFF_CPU}: {@code sleeping}, {@code blocked}
 *     (uninterruptible), {@code preempted} or {@code stopped}; else null
 * @param childToken for {@link EventType#PROCESS_FORK}: the process token of the new child, else
 *     null
 * @param previousToken for {@link EventType#PROCESS_EXEC} of a process already announced: the token
 *     the process had before it executed a new program (each program a process runs gets its own
 *     token, announced with its own comm, exe hash and build id); else null
 * @param cpu for {@link EventType#SYSCALL}: the CPU the call returned on; -1 for other events
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
    String previousToken,
    int cpu) {

  /**
   * An event with the four fields every event has; every other field starts absent (0 or null, and
   * -1 for {@code fd}, {@code exitStatus} and {@code cpu}). Name the fields the event carries, then
   * {@link Builder#build()}. The canonical constructor stays public: the privacy engine rebuilds
   * events component by component.
   */
  public static Builder builder(long timeNs, EventType type, String processToken, String keyId) {
    return new Builder(timeNs, type, processToken, keyId);
  }

  /** A builder holding every field of this event, for "the same event, but ...". */
  public Builder toBuilder() {
    return new Builder(timeNs, type, processToken, keyId)
        .durationNs(durationNs)
        .bytes(bytes)
        .errno(errno)
        .peerHash(peerHash)
        .syscall(syscall)
        .fd(fd)
        .connectionHash(connectionHash)
        .tcpOldState(tcpOldState)
        .tcpNewState(tcpNewState)
        .family(family)
        .protocol(protocol)
        .localPort(localPort)
        .remotePort(remotePort)
        .localHash(localHash)
        .exitStatus(exitStatus)
        .symbol(symbol)
        .binaryHash(binaryHash)
        .returnValue(returnValue)
        .stackId(stackId)
        .threadToken(threadToken)
        .waitState(waitState)
        .childToken(childToken)
        .previousToken(previousToken)
        .cpu(cpu);
  }

  /**
   * Builds a {@link SafeEvent} by naming its fields; setters are named and documented like the
   * record's components. Not thread-safe; one builder, one event at a time.
   */
  public static final class Builder {
    private long timeNs;
    private EventType type;
    private String processToken;
    private long durationNs;
    private long bytes;
    private int errno;
    private String peerHash;
    private String keyId;
    private String syscall;
    private int fd = -1;
    private String connectionHash;
    private String tcpOldState;
    private String tcpNewState;
    private int family;
    private int protocol;
    private int localPort;
    private int remotePort;
    private String localHash;
    private int exitStatus = -1;
    private String symbol;
    private String binaryHash;
    private long returnValue;
    private long stackId;
    private String threadToken;
    private String waitState;
    private String childToken;
    private String previousToken;
    private int cpu = -1;

    private Builder(long timeNs, EventType type, String processToken, String keyId) {
      this.timeNs = timeNs;
      this.type = type;
      this.processToken = processToken;
      this.keyId = keyId;
    }

    public Builder timeNs(long timeNs) {
      this.timeNs = timeNs;
      return this;
    }

    public Builder type(EventType type) {
      this.type = type;
      return this;
    }

    public Builder processToken(String processToken) {
      this.processToken = processToken;
      return this;
    }

    public Builder durationNs(long durationNs) {
      this.durationNs = durationNs;
      return this;
    }

    public Builder bytes(long bytes) {
      this.bytes = bytes;
      return this;
    }

    public Builder errno(int errno) {
      this.errno = errno;
      return this;
    }

    public Builder peerHash(String peerHash) {
      this.peerHash = peerHash;
      return this;
    }

    public Builder keyId(String keyId) {
      this.keyId = keyId;
      return this;
    }

    public Builder syscall(String syscall) {
      this.syscall = syscall;
      return this;
    }

    public Builder fd(int fd) {
      this.fd = fd;
      return this;
    }

    public Builder connectionHash(String connectionHash) {
      this.connectionHash = connectionHash;
      return this;
    }

    public Builder tcpOldState(String tcpOldState) {
      this.tcpOldState = tcpOldState;
      return this;
    }

    public Builder tcpNewState(String tcpNewState) {
      this.tcpNewState = tcpNewState;
      return this;
    }

    public Builder family(int family) {
      this.family = family;
      return this;
    }

    public Builder protocol(int protocol) {
      this.protocol = protocol;
      return this;
    }

    public Builder localPort(int localPort) {
      this.localPort = localPort;
      return this;
    }

    public Builder remotePort(int remotePort) {
      this.remotePort = remotePort;
      return this;
    }

    public Builder localHash(String localHash) {
      this.localHash = localHash;
      return this;
    }

    public Builder exitStatus(int exitStatus) {
      this.exitStatus = exitStatus;
      return this;
    }

    public Builder symbol(String symbol) {
      this.symbol = symbol;
      return this;
    }

    public Builder binaryHash(String binaryHash) {
      this.binaryHash = binaryHash;
      return this;
    }

    public Builder returnValue(long returnValue) {
      this.returnValue = returnValue;
      return this;
    }

    public Builder stackId(long stackId) {
      this.stackId = stackId;
      return this;
    }

    public Builder threadToken(String threadToken) {
      this.threadToken = threadToken;
      return this;
    }

    public Builder waitState(String waitState) {
      this.waitState = waitState;
      return this;
    }

    public Builder childToken(String childToken) {
      this.childToken = childToken;
      return this;
    }

    public Builder previousToken(String previousToken) {
      this.previousToken = previousToken;
      return this;
    }

    public Builder cpu(int cpu) {
      this.cpu = cpu;
      return this;
    }

    public SafeEvent build() {
      return new SafeEvent(
          timeNs,
          type,
          processToken,
          durationNs,
          bytes,
          errno,
          peerHash,
          keyId,
          syscall,
          fd,
          connectionHash,
          tcpOldState,
          tcpNewState,
          family,
          protocol,
          localPort,
          remotePort,
          localHash,
          exitStatus,
          symbol,
          binaryHash,
          returnValue,
          stackId,
          threadToken,
          waitState,
          childToken,
          previousToken,
          cpu);
    }
  }
}
