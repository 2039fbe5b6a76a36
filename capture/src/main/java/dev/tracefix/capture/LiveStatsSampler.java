package dev.tracefix.capture;

import dev.tracefix.capture.ffm.BpfSession;
import dev.tracefix.capture.proc.AgentResources;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes {@link LiveStats} snapshots for a {@link CaptureObserver} on the capture thread. */
final class LiveStatsSampler {
  private static final Logger LOG = LoggerFactory.getLogger(LiveStatsSampler.class);

  private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final CaptureObserver observer;
  private final AgentResources resources = AgentResources.self();
  private long nextNanos = System.nanoTime();
  private boolean failureReported;

  LiveStatsSampler(CaptureObserver observer) {
    this.observer = observer;
  }

  /** A snapshot if a second has passed since the last one (the first call always takes one). */
  void maybeSample(BpfSession bpf, long delivered) {
    if (observer == CaptureObserver.NONE || System.nanoTime() - nextNanos < 0) {
      return;
    }
    nextNanos = System.nanoTime() + PERIOD_NANOS;
    publish(bpf, delivered, true);
  }

  /** The last snapshot, after detach and the final drain: the counts of the summary. */
  void last(BpfSession bpf, long delivered) {
    if (observer != CaptureObserver.NONE) {
      publish(bpf, delivered, false);
    }
  }

  private void publish(BpfSession bpf, long delivered, boolean running) {
    LiveStats stats =
        new LiveStats(
            Instant.now(),
            Capture.typeStats(bpf),
            delivered,
            resources.cpuSeconds(),
            resources.residentBytes(),
            AgentResources.heapUsedBytes(),
            running);
    try {
      observer.onStats(stats);
    } catch (RuntimeException e) {
      // Watching a capture must never end it.
      if (!failureReported) {
        failureReported = true;
        LOG.warn("tracefix: capture observer failed, capture goes on: {}", e.toString());
      }
    }
  }
}
