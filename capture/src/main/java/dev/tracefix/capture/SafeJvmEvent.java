package dev.tracefix.capture;

/**
 * One JVM flight-recorder event in the only shape it leaves {@code capture}: a row of {@code
 * jvm_events}. Declared once here; the store's columns, the policy's field list and the privacy
 * engine's plan are all read from these components. Fields a type does not carry are 0 or null.
 * Before the privacy engine ran ({@code PrivacyEngine#redact(SafeJvmEvent)}) the text fields hold
 * what the recording held; after, what the policy keeps of them.
 *
 * @param timeNs when the event started, ns since the epoch: the recording's own wall-clock
 *     conversion of its ticks, the clock kernel events are stored on too (their monotonic time plus
 *     the wall-clock offset measured at capture start)
 * @param type which flight-recorder event
 * @param processToken keyed token of the JVM process, the token kernel events of it carry when its
 *     start time is known (see {@code capture.jvm.JvmIdentity})
 * @param keyId id of the key that made the tokens and hashes
 * @param threadToken keyed token ({@code t_}) of the OS thread: the kernel rows' thread token
 * @param javaThreadToken keyed token ({@code j_}) of the Java thread id (virtual threads have one
 *     and no OS thread of their own)
 * @param threadName the Java thread's name (for thread start and end: the started or ended thread)
 * @param durationNs how long the event lasted, 0 for instant events
 * @param stackId id of the event's stack in {@code stacks}, 0 when it has none
 * @param objectClass exception class thrown, monitor class waited on or entered, parked-on class
 * @param message an exception's message
 * @param monitorAddress the address of a monitor or parked-on object (the default policy hashes it)
 * @param gcName the collector's name ({@code G1New})
 * @param gcCause why the collection ran ({@code G1 Evacuation Pause})
 * @param gcId the collection's id: pause phases and collections share it
 * @param safepointId the safepoint's id: begin and end share it
 * @param longestPauseNs a collection's longest pause
 * @param sumOfPausesNs a collection's summed pauses
 * @param timeoutNs a wait's or park's timeout, 0 for none
 * @param timedOut 1 when a wait ended by its timeout, else 0
 * @param bytes bytes a socket or file read or write moved
 * @param peerHash keyed hash ({@code a_}) of a socket's remote address and port, the kernel rows'
 *     peer hash for the same peer
 * @param remoteHost the host name a socket was opened with (the default policy hashes it)
 * @param remotePort a socket's remote port
 * @param path a file read or written (the default policy hashes it)
 * @param count exceptions thrown so far, for {@code jdk.ExceptionStatistics}
 * @param jvmUserPermille CPU load of the JVM in user mode, per mille of the machine
 * @param jvmSystemPermille CPU load of the JVM in kernel mode, per mille of the machine
 * @param machinePermille CPU load of the whole machine, per mille
 */
public record SafeJvmEvent(
    long timeNs,
    JvmEventType type,
    String processToken,
    String keyId,
    String threadToken,
    String javaThreadToken,
    String threadName,
    long durationNs,
    long stackId,
    String objectClass,
    String message,
    String monitorAddress,
    String gcName,
    String gcCause,
    long gcId,
    long safepointId,
    long longestPauseNs,
    long sumOfPausesNs,
    long timeoutNs,
    int timedOut,
    long bytes,
    String peerHash,
    String remoteHost,
    int remotePort,
    String path,
    long count,
    int jvmUserPermille,
    int jvmSystemPermille,
    int machinePermille) {

  public static Builder builder(long timeNs, JvmEventType type, String processToken, String keyId) {
    return new Builder(timeNs, type, processToken, keyId);
  }

  /** Names the fields an event carries; every other field stays 0 or null. */
  public static final class Builder {
    private final long timeNs;
    private final JvmEventType type;
    private final String processToken;
    private final String keyId;
    private String threadToken;
    private String javaThreadToken;
    private String threadName;
    private long durationNs;
    private long stackId;
    private String objectClass;
    private String message;
    private String monitorAddress;
    private String gcName;
    private String gcCause;
    private long gcId;
    private long safepointId;
    private long longestPauseNs;
    private long sumOfPausesNs;
    private long timeoutNs;
    private int timedOut;
    private long bytes;
    private String peerHash;
    private String remoteHost;
    private int remotePort;
    private String path;
    private long count;
    private int jvmUserPermille;
    private int jvmSystemPermille;
    private int machinePermille;

    private Builder(long timeNs, JvmEventType type, String processToken, String keyId) {
      this.timeNs = timeNs;
      this.type = type;
      this.processToken = processToken;
      this.keyId = keyId;
    }

    public Builder thread(String threadToken, String javaThreadToken, String threadName) {
      this.threadToken = threadToken;
      this.javaThreadToken = javaThreadToken;
      this.threadName = threadName;
      return this;
    }

    public Builder durationNs(long v) {
      this.durationNs = v;
      return this;
    }

    public Builder stackId(long v) {
      this.stackId = v;
      return this;
    }

    public Builder objectClass(String v) {
      this.objectClass = v;
      return this;
    }

    public Builder message(String v) {
      this.message = v;
      return this;
    }

    public Builder monitorAddress(String v) {
      this.monitorAddress = v;
      return this;
    }

    public Builder gc(String name, String cause, long id) {
      this.gcName = name;
      this.gcCause = cause;
      this.gcId = id;
      return this;
    }

    public Builder gcId(long v) {
      this.gcId = v;
      return this;
    }

    public Builder safepointId(long v) {
      this.safepointId = v;
      return this;
    }

    public Builder pauses(long longestNs, long sumNs) {
      this.longestPauseNs = longestNs;
      this.sumOfPausesNs = sumNs;
      return this;
    }

    public Builder timeout(long timeoutNs, boolean timedOut) {
      this.timeoutNs = timeoutNs;
      this.timedOut = timedOut ? 1 : 0;
      return this;
    }

    public Builder bytes(long v) {
      this.bytes = v;
      return this;
    }

    public Builder peer(String peerHash, String remoteHost, int remotePort) {
      this.peerHash = peerHash;
      this.remoteHost = remoteHost;
      this.remotePort = remotePort;
      return this;
    }

    public Builder path(String v) {
      this.path = v;
      return this;
    }

    public Builder count(long v) {
      this.count = v;
      return this;
    }

    public Builder cpuLoad(int jvmUser, int jvmSystem, int machine) {
      this.jvmUserPermille = jvmUser;
      this.jvmSystemPermille = jvmSystem;
      this.machinePermille = machine;
      return this;
    }

    public SafeJvmEvent build() {
      return new SafeJvmEvent(
          timeNs,
          type,
          processToken,
          keyId,
          threadToken,
          javaThreadToken,
          threadName,
          durationNs,
          stackId,
          objectClass,
          message,
          monitorAddress,
          gcName,
          gcCause,
          gcId,
          safepointId,
          longestPauseNs,
          sumOfPausesNs,
          timeoutNs,
          timedOut,
          bytes,
          peerHash,
          remoteHost,
          remotePort,
          path,
          count,
          jvmUserPermille,
          jvmSystemPermille,
          machinePermille);
    }
  }
}
