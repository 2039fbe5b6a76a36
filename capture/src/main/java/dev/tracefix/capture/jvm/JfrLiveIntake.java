package dev.tracefix.capture.jvm;

import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.capture.privacy.PrivacyEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;

/**
 * The events of a live flight-recorder stream into the redacted {@code jvm_events} rows of a
 * running capture: each is mapped and redacted as a recording file's are, and kept only inside the
 * capture's window (from the probes' attach to their detach), the span its kernel rows cover.
 * Events that arrive before the window's start is known wait for it, mapped but not yet redacted,
 * in memory only. Counts per stored type what the window held (produced), what the sink took
 * (stored) and what it refused (dropped), as {@code capture_stats} has them for kernel types.
 * Thread-safe: the stream's thread delivers, the capture's opens the window, another closes it.
 */
public final class JfrLiveIntake {
  /** Rows handed to the sink at a time; a stream's flush (about once a second) hands the rest. */
  private static final int BATCH = 2048;

  /** Events kept while the window's start is unknown (the probes load in a second or two). */
  private static final int MAX_WAITING = 100_000;

  private final JvmIdentity identity;
  private final PrivacyEngine engine;
  private final JvmEventSink sink;
  private final JfrEventMapper mapper;
  private final JfrStacks stacks;
  private final Map<EventType, JvmEventType> types = new IdentityHashMap<>();
  private final Map<JvmEventType, long[]> counts = new EnumMap<>(JvmEventType.class);
  private final List<SafeJvmEvent> waiting = new ArrayList<>();
  private List<SafeJvmEvent> batch = new ArrayList<>();
  private long windowStartNs = -1;
  private long windowEndNs = Long.MAX_VALUE;
  private long lostWaiting;
  private RuntimeException firstFailure;

  private static final int PRODUCED = 0;
  private static final int STORED = 1;
  private static final int DROPPED = 2;

  public JfrLiveIntake(JvmIdentity identity, PrivacyEngine engine, JvmEventSink sink) {
    this.identity = identity;
    this.engine = engine;
    this.sink = sink;
    this.mapper = new JfrEventMapper(identity, engine.keyId());
    this.stacks = new JfrStacks(engine.text(), this::deliverStack);
  }

  /** One event from the stream; events of types tracefix does not store are not read further. */
  public synchronized void accept(RecordedEvent e) {
    JvmEventType type =
        types.computeIfAbsent(
            e.getEventType(), t -> JvmEventType.ofJfrName(t.getName()).orElse(null));
    if (type == null) {
      return;
    }
    if (windowStartNs < 0) {
      if (waiting.size() < MAX_WAITING) {
        waiting.add(mapper.map(type, e, stacks.idOf(e.getStackTrace())));
      } else {
        lostWaiting++;
      }
      return;
    }
    long startNs = JfrEventMapper.epochNs(e.getStartTime());
    if (startNs < windowStartNs || startNs > windowEndNs) {
      return; // outside the capture: its kernel rows do not cover it
    }
    take(mapper.map(type, e, stacks.idOf(e.getStackTrace())));
  }

  /** The capture's window opens: the waiting events are sorted at the next {@link #flush}. */
  public synchronized void windowStarts(Instant at) {
    windowStartNs = JfrEventMapper.epochNs(at);
  }

  /** The capture's window closes: later events are not stored. */
  public synchronized void windowEnds(Instant at) {
    windowEndNs = JfrEventMapper.epochNs(at);
  }

  /** Hands what is pending to the sink (the stream calls this after each of its flushes). */
  public synchronized void flush() {
    if (windowStartNs >= 0 && !waiting.isEmpty()) {
      for (SafeJvmEvent raw : waiting) {
        if (raw.timeNs() >= windowStartNs && raw.timeNs() <= windowEndNs) {
          take(raw);
        }
      }
      waiting.clear();
    }
    deliver();
  }

  /** Per stored type seen in the window: produced = stored + dropped. */
  public synchronized List<TypeStats> stats() {
    List<TypeStats> stats = new ArrayList<>();
    counts.forEach(
        (type, c) -> stats.add(new TypeStats(type.jfrName(), c[PRODUCED], c[STORED], c[DROPPED])));
    return stats;
  }

  /** Rows the sink took. */
  public synchronized long stored() {
    return counts.values().stream().mapToLong(c -> c[STORED]).sum();
  }

  /** Events that arrived while the window's start was unknown and found no room to wait. */
  public synchronized long lostWaiting() {
    return lostWaiting;
  }

  /** Distinct stacks delivered. */
  public synchronized int stackCount() {
    return stacks.count();
  }

  /** The first failure of the sink, or null: its events are counted as dropped. */
  public synchronized RuntimeException firstFailure() {
    return firstFailure;
  }

  /** The JVM's {@code processes} row, redacted, for the capture to store once. */
  public SafeProcess process() {
    return JfrReader.processRow(identity, engine);
  }

  private void take(SafeJvmEvent raw) {
    counts.computeIfAbsent(raw.type(), t -> new long[3])[PRODUCED]++;
    batch.add(engine.redact(raw));
    if (batch.size() >= BATCH) {
      deliver();
    }
  }

  private void deliver() {
    if (batch.isEmpty()) {
      return;
    }
    List<SafeJvmEvent> out = batch;
    batch = new ArrayList<>();
    int outcome = STORED;
    try {
      sink.onJvmEvents(out);
    } catch (RuntimeException e) {
      outcome = DROPPED;
      if (firstFailure == null) {
        firstFailure = e;
      }
    }
    for (SafeJvmEvent e : out) {
      counts.get(e.type())[outcome]++;
    }
  }

  private void deliverStack(dev.tracefix.capture.SafeStack stack) {
    try {
      sink.onStack(stack);
    } catch (RuntimeException e) {
      if (firstFailure == null) {
        firstFailure = e;
      }
    }
  }
}
