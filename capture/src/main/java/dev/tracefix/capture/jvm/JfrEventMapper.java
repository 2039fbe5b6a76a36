package dev.tracefix.capture.jvm;

import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeJvmEvent;
import java.time.Duration;
import java.time.Instant;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * Reads the fields of one recorded event into a {@link SafeJvmEvent} before redaction: raw text
 * (messages, names, paths, hosts) still in it, identities already keyed. Each field is read only if
 * the recording's type has it, so recordings of other JDK versions read too.
 */
final class JfrEventMapper {
  private final JvmIdentity identity;
  private final String keyId;

  JfrEventMapper(JvmIdentity identity, String keyId) {
    this.identity = identity;
    this.keyId = keyId;
  }

  SafeJvmEvent map(JvmEventType type, RecordedEvent e, long stackId) {
    SafeJvmEvent.Builder b =
        SafeJvmEvent.builder(epochNs(e.getStartTime()), type, identity.processToken(), keyId)
            .durationNs(nanos(e.getDuration()))
            .stackId(stackId);
    RecordedThread thread =
        switch (type) {
          case THREAD_START, THREAD_END -> thread(e, "thread");
          case EXECUTION_SAMPLE -> thread(e, "sampledThread");
          default -> e.getThread();
        };
    if (thread != null) {
      b.thread(
          identity.threadToken(thread.getOSThreadId()),
          identity.javaThreadToken(thread.getJavaThreadId()),
          thread.getJavaName());
    }
    switch (type) {
      case EXCEPTION_THROW, ERROR_THROW ->
          b.objectClass(className(e, "thrownClass")).message(text(e, "message"));
      case EXCEPTION_STATISTICS -> b.count(number(e, "throwables"));
      case GARBAGE_COLLECTION ->
          b.gc(text(e, "name"), text(e, "cause"), number(e, "gcId"))
              .pauses(duration(e, "longestPause"), duration(e, "sumOfPauses"));
      case GC_PHASE_PAUSE -> b.gc(text(e, "name"), null, number(e, "gcId"));
      case SAFEPOINT_BEGIN, SAFEPOINT_END -> b.safepointId(number(e, "safepointId"));
      case MONITOR_ENTER -> b.objectClass(className(e, "monitorClass")).monitorAddress(address(e));
      case MONITOR_WAIT ->
          b.objectClass(className(e, "monitorClass"))
              .monitorAddress(address(e))
              .timeout(duration(e, "timeout"), e.hasField("timedOut") && e.getBoolean("timedOut"));
      case THREAD_PARK ->
          b.objectClass(className(e, "parkedClass"))
              .monitorAddress(address(e))
              .timeout(Math.max(0, duration(e, "timeout")), false);
      case SOCKET_READ, SOCKET_WRITE -> {
        int port = (int) number(e, "port");
        b.peer(identity.peerHash(text(e, "address"), port), text(e, "host"), port)
            .bytes(number(e, type == JvmEventType.SOCKET_READ ? "bytesRead" : "bytesWritten"));
      }
      case FILE_READ, FILE_WRITE ->
          b.path(text(e, "path"))
              .bytes(number(e, type == JvmEventType.FILE_READ ? "bytesRead" : "bytesWritten"));
      case CPU_LOAD ->
          b.cpuLoad(permille(e, "jvmUser"), permille(e, "jvmSystem"), permille(e, "machineTotal"));
      case THREAD_START, THREAD_END, EXECUTION_SAMPLE -> {}
    }
    return b.build();
  }

  static long epochNs(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static long nanos(Duration d) {
    return d == null ? 0 : d.toNanos();
  }

  private static RecordedThread thread(RecordedEvent e, String field) {
    return e.hasField(field) ? e.getThread(field) : null;
  }

  private static String text(RecordedEvent e, String field) {
    return e.hasField(field) ? e.getString(field) : null;
  }

  private static long number(RecordedEvent e, String field) {
    return e.hasField(field) ? e.getLong(field) : 0;
  }

  private static long duration(RecordedEvent e, String field) {
    if (!e.hasField(field)) {
      return 0;
    }
    Duration d = e.getDuration(field);
    // "No timeout" is recorded as a huge or negative span.
    return d.isNegative() || d.getSeconds() > 1_000_000_000L ? 0 : d.toNanos();
  }

  private static String className(RecordedEvent e, String field) {
    RecordedClass c = e.hasField(field) ? e.getClass(field) : null;
    return c == null ? null : c.getName();
  }

  /** The monitor's address, as raw text for the policy: the default policy hashes it. */
  private static String address(RecordedEvent e) {
    return e.hasField("address") ? "0x" + Long.toHexString(e.getLong("address")) : null;
  }

  private static int permille(RecordedEvent e, String field) {
    return e.hasField(field) ? Math.round(e.getFloat(field) * 1000) : 0;
  }
}
