package dev.tracefix.capture.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.proc.ProcFs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live stream of this test's own JVM (a real flight recorder, {@link RecordingStream}) through
 * two intakes at once: one whose sink stores, one whose sink refuses. Exceptions are thrown before,
 * inside and after a window whose bounds are only given once all of them were thrown, so every
 * event waits for the window's start and is sorted by its own time.
 */
class JfrLiveIntakeTest {
  @TempDir Path keys;

  /** Thrown only here, so this test's events can be told from the JVM's own. */
  static final class IntakeProbe extends RuntimeException {
    IntakeProbe(String message) {
      super(message);
    }
  }

  @Test
  void keepsTheWindowOnlyAndCountsWhatItsSinkTookOrRefused() throws Exception {
    HmacKey key = KeyStore.current(keys);
    PrivacyEngine engine = new PrivacyEngine(PolicyLoader.loadDefault(), key);
    int self = (int) ProcessHandle.current().pid();
    JvmIdentity identity =
        JvmIdentity.of(self, ProcFs.system().startTimeTicks(self).orElseThrow(), key);
    Collecting stored = new Collecting(false);
    Collecting refused = new Collecting(true);
    JfrLiveIntake taking = new JfrLiveIntake(identity, engine, stored);
    JfrLiveIntake refusing = new JfrLiveIntake(identity, engine, refused);
    Instant open;
    Instant close;
    try (RecordingStream stream = new RecordingStream()) {
      stream.setSettings(exceptionSettings());
      stream.onEvent(taking::accept);
      stream.onEvent(refusing::accept);
      stream.startAsync();
      throwProbes("early", 3);
      Thread.sleep(50);
      open = Instant.now();
      Thread.sleep(50);
      throwProbes("inside", 5);
      Thread.sleep(50);
      close = Instant.now();
      Thread.sleep(50);
      throwProbes("late", 2);
      stream.stop(); // returns once every recorded event was handed to the intakes
    }
    for (JfrLiveIntake intake : List.of(taking, refusing)) {
      intake.windowEnds(close);
      intake.windowStarts(open);
      intake.flush();
    }

    List<String> probes =
        stored.events.stream()
            .filter(e -> e.objectClass() != null && e.objectClass().endsWith("$IntakeProbe"))
            .map(SafeJvmEvent::message)
            .toList();
    System.out.println("JfrLiveIntakeTest: stored probes " + probes + ", stats " + taking.stats());
    assertEquals(
        List.of("inside 1", "inside 2", "inside 3", "inside 4", "inside 5"),
        probes.stream().sorted().toList());
    TypeStats took = exceptions(taking.stats());
    TypeStats dropped = exceptions(refusing.stats());
    assertEquals(
        stored.events.stream().filter(e -> e.type() == JvmEventType.EXCEPTION_THROW).count(),
        took.produced(),
        "every exception of the window is counted");
    assertEquals(new TypeStats(took.type(), took.produced(), took.produced(), 0), took);
    assertEquals(new TypeStats(took.type(), took.produced(), 0, took.produced()), dropped);
    assertEquals(stored.events.size(), taking.stored());
    assertEquals(0, refusing.stored());
    assertNotNull(refusing.firstFailure());
    assertTrue(refusing.firstFailure().getMessage().contains("refused"));
    assertTrue(refused.events.isEmpty());
  }

  private static TypeStats exceptions(List<TypeStats> stats) {
    return stats.stream()
        .filter(t -> t.type().equals(JvmEventType.EXCEPTION_THROW.jfrName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no exception counts in " + stats));
  }

  /**
   * The profile's settings of thrown exceptions and errors: on JDK 25 the recorder emits no
   * jdk.JavaExceptionThrow unless jdk.JavaErrorThrow is enabled as well.
   */
  private static Map<String, String> exceptionSettings() throws Exception {
    Map<String, String> settings = new HashMap<>();
    Configuration.getConfiguration("profile")
        .getSettings()
        .forEach(
            (key, value) -> {
              if (key.startsWith("jdk.JavaExceptionThrow#")
                  || key.startsWith("jdk.JavaErrorThrow#")) {
                settings.put(key, value);
              }
            });
    return settings;
  }

  private static void throwProbes(String phase, int count) {
    for (int i = 1; i <= count; i++) {
      try {
        throw new IntakeProbe(phase + " " + i);
      } catch (IntakeProbe expected) {
        // thrown for the recorder
      }
    }
  }

  /** A sink that keeps what it is given, or refuses every batch. */
  private static final class Collecting implements JvmEventSink {
    final List<SafeJvmEvent> events = new ArrayList<>();
    private final boolean refuse;

    Collecting(boolean refuse) {
      this.refuse = refuse;
    }

    @Override
    public void onProcess(SafeProcess process) {}

    @Override
    public void onStack(SafeStack stack) {}

    @Override
    public void onJvmEvents(List<SafeJvmEvent> batch) {
      if (refuse) {
        throw new IllegalStateException("refused " + batch.size() + " events");
      }
      events.addAll(batch);
    }
  }
}
