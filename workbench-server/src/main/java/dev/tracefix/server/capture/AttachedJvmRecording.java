package dev.tracefix.server.capture;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.LiveStats;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.TriggerRule;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.capture.jvm.JfrLiveIntake;
import dev.tracefix.capture.jvm.JvmAttach;
import dev.tracefix.capture.jvm.JvmEventSink;
import dev.tracefix.capture.jvm.JvmIdentity;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.proc.ProcFs;
import dev.tracefix.capture.trigger.ProbeSwitch;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.jvm.JvmEventWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.management.JMX;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import jdk.management.jfr.FlightRecorderMXBean;
import jdk.management.jfr.RecordingInfo;
import jdk.management.jfr.RemoteRecordingStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * {@code tracefix capture --jfr --pid PID}: a running JVM's flight recorder, streamed into the
 * capture while it runs. The capture attaches ({@link JvmAttach}), starts a recording of the stored
 * types in the JVM ({@link JfrSettings#streamed}) and reads it as the JVM writes it, over JMX
 * ({@link RemoteRecordingStream}); every event inside the capture's window is redacted by the
 * capture's policy and committed to {@code jvm_events} of the same capture about once a second.
 * When the capture ends the recording stops, its last events are stored, and per-type counts join
 * the kernel's in {@code capture_stats}. The stream keeps the raw chunks it downloads (as raw as a
 * recording file) in a directory only root can read, removed at the end.
 *
 * <p>Order of use: {@link #attach} (before the store is opened: a JVM that cannot be reached leaves
 * nothing behind), {@link #begin}, {@link #windowStarts}, {@link #end}, {@link #storeProcess},
 * {@link #close}.
 */
public final class AttachedJvmRecording implements AutoCloseable {
  private static final String STREAM_NAME = "Remote Recording Stream";

  /** How long after the capture's longest duration an orphaned recording stops by itself. */
  private static final long LEFTOVER_SECONDS = 300;

  private final int pid;
  private final Path dir;
  private final JMXConnector connector;
  private final FlightRecorderMXBean recorder;
  private final RemoteRecordingStream stream;
  private final JvmIdentity identity;
  private final PrivacyEngine engine;
  private BufferAllocator allocator;
  private JvmEventWriter writer;
  private volatile JfrLiveIntake intake; // read by snapshots while the stream delivers
  private CommittingSink sink;
  private EventStore store;
  private String captureId;
  private volatile Throwable streamError;
  private long recordingId = -1;
  private int rulesWantingRicher;
  private boolean closed;

  private AttachedJvmRecording(
      int pid,
      Path dir,
      JMXConnector connector,
      FlightRecorderMXBean recorder,
      RemoteRecordingStream stream,
      JvmIdentity identity,
      PrivacyEngine engine) {
    this.pid = pid;
    this.dir = dir;
    this.connector = connector;
    this.recorder = recorder;
    this.stream = stream;
    this.identity = identity;
    this.engine = engine;
  }

  /**
   * Attaches to the JVM of {@code pid} and prepares its recording (not started yet); a clear {@link
   * CaptureException} when the process is no JVM, cannot be attached or has no recorder.
   */
  public static AttachedJvmRecording attach(int pid, PrivacyEngine engine, HmacKey key) {
    JMXConnector connector = JvmAttach.connect(pid);
    Path dir = null;
    try {
      long startTicks =
          ProcFs.system()
              .startTimeTicks(pid)
              .orElseThrow(
                  () ->
                      new CaptureException(
                          CaptureException.Kind.USER,
                          "--jfr --pid " + pid + ": the process ended while attaching"));
      FlightRecorderMXBean recorder =
          JMX.newMXBeanProxy(
              connector.getMBeanServerConnection(),
              new ObjectName(FlightRecorderMXBean.MXBEAN_NAME),
              FlightRecorderMXBean.class);
      recorder.getRecordings(); // fails here, clearly, when the JVM has no flight recorder bean
      dir = privateDirectory();
      RemoteRecordingStream stream =
          new RemoteRecordingStream(connector.getMBeanServerConnection(), dir);
      stream.setSettings(JfrSettings.streamed());
      return new AttachedJvmRecording(
          pid, dir, connector, recorder, stream, JvmIdentity.of(pid, startTicks, key), engine);
    } catch (IOException | RuntimeException | MalformedObjectNameException e) {
      closeQuietly(connector);
      if (dir != null) {
        delete(dir);
      }
      if (e instanceof CaptureException ce) {
        throw ce;
      }
      throw new CaptureException(
          CaptureException.Kind.USER,
          "--jfr --pid "
              + pid
              + ": the JVM offers no flight recorder to stream from (JDK 17 or later, with the"
              + " jdk.management.jfr module): "
              + describe(e),
          e);
    }
  }

  /**
   * Starts the recording; its events go to capture {@code captureId} of {@code store}, which lasts
   * at most {@code captureDuration}.
   */
  public void begin(EventStore store, String captureId, java.time.Duration captureDuration) {
    this.store = store;
    this.captureId = captureId;
    allocator = new RootAllocator();
    writer = JvmEventWriter.intoFinished(store.connect(), allocator, captureId);
    sink = new CommittingSink(writer);
    intake = new JfrLiveIntake(identity, engine, sink);
    stream.onEvent(intake::accept);
    stream.onFlush(intake::flush);
    stream.onError(e -> streamError = e);
    stream.startAsync();
    recordingId = runningRecording();
    if (recordingId < 0) {
      throw new CaptureException(
          CaptureException.Kind.USER,
          "--jfr --pid "
              + pid
              + ": the JVM did not start the recording"
              + (streamError == null ? "" : " (" + streamError + ")"));
    }
    bound(captureDuration);
  }

  /**
   * Bounds what the recording can cost the JVM if this capture dies without stopping it (killed,
   * say): the JVM keeps two minutes of its chunks on disk, and stops it by itself a little after
   * the capture's longest duration. A JVM that refuses keeps the recording unbounded until it is
   * stopped, as usual.
   */
  private void bound(java.time.Duration captureDuration) {
    long seconds = captureDuration.toSeconds() + LEFTOVER_SECONDS;
    try {
      recorder.setRecordingOptions(
          recordingId, java.util.Map.of("maxAge", "120 s", "duration", seconds + " s"));
    } catch (RuntimeException e) {
      streamError = e;
    }
  }

  /**
   * {@code stats} with the JVM's types as counted so far beside the kernel's (the counts {@link
   * #end} adds to the summary), so a running capture's snapshots show both.
   */
  public LiveStats withJvmTypes(LiveStats stats) {
    JfrLiveIntake live = intake;
    if (live == null) {
      return stats;
    }
    List<TypeStats> types = new ArrayList<>(stats.types());
    types.addAll(live.stats());
    return new LiveStats(
        stats.at(),
        types,
        stats.delivered(),
        stats.cpuSeconds(),
        stats.residentBytes(),
        stats.heapUsedBytes(),
        stats.running());
  }

  /** The capture's probes are attached: the JVM's events from {@code at} on are kept. */
  public void windowStarts(Instant at) {
    if (intake != null) {
      intake.windowStarts(at);
    }
  }

  /**
   * The capture ended: closes its window, stops the recording once every event of it is consumed,
   * stores the last events and returns {@code summary} with {@code jfr} among its probes and the
   * JVM types' counts among its stats. Says on {@code err} what was stored.
   */
  public CaptureSummary end(CaptureSummary summary, PrintStream err) {
    intake.windowEnds(summary.endedAt());
    boolean stopped;
    try {
      stopped = stream.stop(); // returns once the stream consumed everything recorded until now
    } catch (IllegalStateException closed) {
      stopped = false; // the stream ended before: the JVM exited or the connection broke
    }
    stream.close();
    intake.flush();
    synchronized (intake) { // the stream's thread may still be inside the intake if stop failed
      try {
        sink.commitStacks();
      } catch (RuntimeException e) {
        err.println("tracefix capture: storing the JVM's last stacks failed: " + e.getMessage());
      }
    }
    err.printf(
        "tracefix capture: %d JVM events (%d stacks) streamed from process %d stored in capture"
            + " %s%n",
        intake.stored(), intake.stackCount(), pid, captureId);
    if (!stopped) {
      err.println(
          "tracefix capture: the JVM's stream ended before the capture did (the JVM exited or"
              + " its connection broke"
              + (streamError == null ? "" : ": " + streamError.getMessage())
              + "); its events until then are stored");
    }
    if (intake.firstFailure() != null) {
      err.println(
          "tracefix capture: some JVM events could not be stored (counted as dropped in"
              + " capture_stats): "
              + intake.firstFailure().getMessage());
    }
    if (intake.lostWaiting() > 0) {
      err.printf(
          "tracefix capture: %d JVM events arrived before the probes were attached and were not"
              + " kept%n",
          intake.lostWaiting());
    }
    return summary.plus("jfr", intake.stats(), engine.attestation());
  }

  /**
   * After the capture is finished (its kernel rows committed): the JVM's {@code processes} row,
   * unless the kernel probes stored it already.
   */
  public void storeProcess() {
    SafeProcess process = intake.process();
    try (JvmEventWriter rows = JvmEventWriter.intoFinished(store.connect(), allocator, captureId)) {
      rows.onProcess(process);
      rows.commit();
    }
  }

  /**
   * Releases the JVM's recording, the connection and the raw chunks; a second call does nothing.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stream.close();
      closeQuietly(connector);
      if (writer != null) {
        writer.close();
      }
      if (allocator != null) {
        allocator.close();
      }
    } finally {
      delete(dir);
    }
  }

  /**
   * The id of the stream's recording, running in the JVM now, or -1 (the stream closes itself when
   * the JVM refuses to start it): the newest running recording of a stream.
   */
  private long runningRecording() {
    try {
      List<RecordingInfo> recordings = recorder.getRecordings();
      return recordings.stream()
          .filter(r -> r.getName().startsWith(STREAM_NAME) && r.getState().equals("RUNNING"))
          .mapToLong(RecordingInfo::getId)
          .max()
          .orElse(-1);
    } catch (RuntimeException e) {
      streamError = e;
      return -1;
    }
  }

  /**
   * The trigger rules' {@code jfr} action: the recording switches to {@link JfrSettings#richer}
   * while any firing rule wants it, and back. Called on the capture thread; a JVM that refuses
   * records the action as failed in the firing, and the recording goes on as it was.
   */
  public ProbeSwitch triggerSwitch() {
    return new ProbeSwitch() {
      @Override
      public List<String> turnOn(TriggerRule rule) {
        if (!rule.jfr()) {
          return List.of();
        }
        if (rulesWantingRicher == 0 && !apply(JfrSettings.richer())) {
          return List.of("jfr");
        }
        rulesWantingRicher++;
        return List.of();
      }

      @Override
      public void turnOff(TriggerRule rule) {
        if (rule.jfr() && rulesWantingRicher > 0 && --rulesWantingRicher == 0) {
          apply(JfrSettings.streamed());
        }
      }
    };
  }

  /**
   * Replaces the running recording's settings through the JVM's recorder bean (not the stream's own
   * setter, which closes the stream when the call fails).
   */
  private boolean apply(java.util.Map<String, String> settings) {
    try {
      recorder.setRecordingSettings(recordingId, settings);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Stores each batch for good at once, so rows land while the capture runs; stacks go with the
   * next batch, or with {@link #commitStacks} after the last.
   */
  private static final class CommittingSink implements JvmEventSink {
    private final JvmEventWriter writer;
    private boolean uncommittedStacks;

    CommittingSink(JvmEventWriter writer) {
      this.writer = writer;
    }

    @Override
    public void onProcess(SafeProcess process) {
      writer.onProcess(process);
    }

    @Override
    public void onStack(SafeStack stack) {
      writer.onStack(stack);
      uncommittedStacks = true;
    }

    @Override
    public void onJvmEvents(List<SafeJvmEvent> events) {
      writer.onJvmEvents(events);
      writer.commit();
      uncommittedStacks = false;
    }

    void commitStacks() {
      if (uncommittedStacks) {
        writer.commit();
        uncommittedStacks = false;
      }
    }
  }

  private static Path privateDirectory() throws IOException {
    Path dir = Files.createTempDirectory("tracefix-jfr-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    return dir;
  }

  private static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the streamed recording in " + dir, e);
    }
  }

  /** A JMX failure's own words: proxies wrap the remote cause in a message-less exception. */
  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  private static void closeQuietly(JMXConnector connector) {
    try {
      connector.close();
    } catch (IOException ignored) {
      // The connection is gone already; the JVM's agent closes its side.
    }
  }
}
