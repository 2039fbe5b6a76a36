package dev.tracefix.capture.jvm;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a flight recording ({@code .jfr}, through the JDK's own {@link RecordingFile}) into
 * redacted {@code jvm_events} rows: every event of a {@link JvmEventType} is mapped, then passed
 * through the {@link PrivacyEngine} under its recorder type name, as kernel events are. Events of
 * other types are counted and not read further.
 */
public final class JfrReader {
  /** Rows handed to the sink at a time. */
  private static final int BATCH = 4096;

  /** Which process a recording is of, from the pid and JVM start it names. */
  @FunctionalInterface
  public interface IdentityResolver {
    JvmIdentity resolve(int pid, Instant jvmStart);
  }

  private JfrReader() {}

  /**
   * The recording's process, from its first {@code jdk.JVMInformation} event: read before anything
   * is stored, so a file that is no recording (or names no process) leaves nothing behind.
   */
  public static JvmIdentity identify(Path file, IdentityResolver identities) {
    if (!Files.isRegularFile(file)) {
      throw new CaptureException(Kind.USER, "no recording at " + file);
    }
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        if (e.getEventType().getName().equals("jdk.JVMInformation")) {
          return identities.resolve((int) e.getLong("pid"), e.getInstant("jvmStartTime"));
        }
      }
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    throw new CaptureException(
        Kind.USER,
        file
            + " has no jdk.JVMInformation event, so it does not say which process it recorded;"
            + " record with the default or profile settings (which enable it)");
  }

  /** Reads every stored type's events of the recording of {@code identity} into {@code sink}. */
  public static JfrImportSummary read(
      Path file, JvmIdentity identity, PrivacyEngine engine, JvmEventSink sink) {
    try {
      announce(identity, engine, sink);
      return readEvents(file, identity, engine, sink);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static CaptureException unreadable(Path file, IOException e) {
    return new CaptureException(
        Kind.USER, file + " is not a readable flight recording (" + e.getMessage() + ")", e);
  }

  private static void announce(JvmIdentity identity, PrivacyEngine engine, JvmEventSink sink) {
    sink.onProcess(processRow(identity, engine));
  }

  /** The recorded JVM's {@code processes} row, redacted. */
  static SafeProcess processRow(JvmIdentity identity, PrivacyEngine engine) {
    String comm = identity.exact() ? ProcFs.system().comm(identity.pid()).orElse("java") : "java";
    return engine.redact(
        new SafeProcess(identity.processToken(), comm, null, null, null, engine.keyId()));
  }

  private static JfrImportSummary readEvents(
      Path file, JvmIdentity identity, PrivacyEngine engine, JvmEventSink sink) throws IOException {
    JfrEventMapper mapper = new JfrEventMapper(identity, engine.keyId());
    JfrStacks stacks = new JfrStacks(engine.text(), sink::onStack);
    Map<String, Long> imported = new TreeMap<>();
    Map<EventType, JvmEventType> types = new java.util.IdentityHashMap<>();
    long skipped = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    List<SafeJvmEvent> batch = new ArrayList<>(BATCH);
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        JvmEventType type =
            types.computeIfAbsent(
                e.getEventType(), t -> JvmEventType.ofJfrName(t.getName()).orElse(null));
        if (type == null) {
          skipped++;
          continue;
        }
        SafeJvmEvent raw = mapper.map(type, e, stacks.idOf(e.getStackTrace()));
        SafeJvmEvent safe = engine.redact(raw);
        batch.add(safe);
        imported.merge(type.jfrName(), 1L, Long::sum);
        first = Math.min(first, safe.timeNs());
        last = Math.max(last, safe.timeNs());
        if (batch.size() == BATCH) {
          sink.onJvmEvents(batch);
          batch = new ArrayList<>(BATCH);
        }
      }
    }
    if (!batch.isEmpty()) {
      sink.onJvmEvents(batch);
    }
    return new JfrImportSummary(
        imported,
        skipped,
        stacks.count(),
        identity.exact(),
        first == Long.MAX_VALUE ? null : instant(first),
        last == Long.MIN_VALUE ? null : instant(last));
  }

  private static Instant instant(long epochNs) {
    return Instant.ofEpochSecond(0, epochNs);
  }
}
