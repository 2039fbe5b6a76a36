package dev.tracefix.server.capture;

import dev.tracefix.capture.CaptureObserver;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.LiveStats;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.server.kernel.sql.AttachedCaptures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One live capture: its thread, its last snapshot and how it ended. */
final class LiveCapture {
  private static final Logger log = LoggerFactory.getLogger(LiveCapture.class);

  private final String id;
  private final AttachedCaptures.Attached target;
  private final int seconds;
  private final Consumer<LiveCaptureStatus> listener;
  private final Instant startedAt = Instant.now();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile LiveCaptureStatus status;
  private List<TypeStats> previous = List.of();
  private Instant previousAt = startedAt;

  LiveCapture(
      String id,
      AttachedCaptures.Attached target,
      int seconds,
      Consumer<LiveCaptureStatus> listener) {
    this.id = id;
    this.target = target;
    this.seconds = seconds;
    this.listener = listener;
    this.status =
        new LiveCaptureStatus(
            id, "running", target.catalog(), null, seconds, 0, List.of(), 0, 0, 0, 0, null);
  }

  String id() {
    return id;
  }

  LiveCaptureStatus status() {
    return status;
  }

  boolean isRunning() {
    return ended.getCount() > 0;
  }

  /**
   * Runs {@code capture} on a thread of its own; once it is stored, hands its file to {@code done}.
   */
  void start(Callable<CaptureSummary> capture, Consumer<AttachedCaptures.Attached> done) {
    Thread.ofPlatform()
        .name("tracefix-" + id)
        .daemon()
        .start(
            () -> {
              try {
                CaptureSummary summary = capture.call();
                done.accept(target); // the file is closed: notebooks may attach it now
                // The summary's counters: final for every type, the JVM's stored after the
                // last snapshot included.
                List<LiveCaptureStatus.TypeRate> types = finalRates(status.types(), summary);
                publish(
                    new LiveCaptureStatus(
                        id,
                        "stored",
                        target.catalog(),
                        summary.captureId(),
                        seconds,
                        elapsedMs(),
                        types,
                        types.stream().mapToLong(LiveCaptureStatus.TypeRate::produced).sum(),
                        types.stream().mapToLong(LiveCaptureStatus.TypeRate::dropped).sum(),
                        0,
                        summary.eventCount(),
                        null));
              } catch (Exception | Error e) {
                log.warn("live capture {} failed", id, e);
                LiveCaptureStatus last = status;
                publish(
                    new LiveCaptureStatus(
                        id,
                        "failed",
                        target.catalog(),
                        null,
                        seconds,
                        elapsedMs(),
                        last.types(),
                        last.produced(),
                        last.dropped(),
                        last.queueDepth(),
                        last.stored(),
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
              } finally {
                ended.countDown();
              }
            });
  }

  /** A snapshot from the capture thread. */
  void onStats(LiveStats stats) {
    long produced = 0;
    long stored = 0;
    long dropped = 0;
    for (TypeStats t : stats.types()) {
      produced += t.produced();
      stored += t.stored();
      dropped += t.dropped();
    }
    List<LiveCaptureStatus.TypeRate> rates = LiveCaptures.rates(previous, previousAt, stats);
    previous = stats.types();
    previousAt = stats.at();
    publish(
        new LiveCaptureStatus(
            id,
            "running",
            target.catalog(),
            null,
            seconds,
            elapsedMs(),
            rates,
            produced,
            dropped,
            Math.max(0, produced - stored - dropped),
            stored,
            null));
  }

  /** Each type's final counters from {@code summary}, at the rate of the last snapshot. */
  static List<LiveCaptureStatus.TypeRate> finalRates(
      List<LiveCaptureStatus.TypeRate> last, CaptureSummary summary) {
    return summary.stats().stream()
        .map(
            t ->
                new LiveCaptureStatus.TypeRate(
                    t.type(),
                    t.produced(),
                    t.stored(),
                    t.dropped(),
                    last.stream()
                        .filter(r -> r.type().equals(t.type()))
                        .mapToDouble(LiveCaptureStatus.TypeRate::perSecond)
                        .findFirst()
                        .orElse(0)))
        .toList();
  }

  /** Asks the capture to end at its next poll; it drains and is stored as if its time was up. */
  void stop() {
    stopRequested = true;
  }

  /** What the capture reports to and asks whether to stop. */
  CaptureObserver observer() {
    return new CaptureObserver() {
      @Override
      public void onStats(LiveStats stats) {
        LiveCapture.this.onStats(stats);
      }

      @Override
      public boolean stopRequested() {
        return stopRequested;
      }
    };
  }

  void await() {
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long elapsedMs() {
    return Duration.between(startedAt, Instant.now()).toMillis();
  }

  private void publish(LiveCaptureStatus next) {
    status = next;
    try {
      listener.accept(next);
    } catch (RuntimeException e) {
      log.warn("live capture {}: a listener failed", id, e);
    }
  }
}
