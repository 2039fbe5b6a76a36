package dev.tracefix.server.http;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The server's heap while a case runs: the server runs in this test's JVM, so the JVM's
 * MemoryMXBean is its heap. Collects once at the start (the baseline is what stays alive), then
 * samples used heap every 10 ms and keeps the peak, garbage included: an upper bound on what the
 * case made the server hold (JShell compiles snippets in the server, so each fresh snippet VM
 * leaves compiler garbage). Collects again at the end: what the case left alive.
 */
final class HeapSampler implements AutoCloseable {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final long baseline;
  private final Thread sampler;
  private volatile long peak;
  private volatile long live = -1;
  private volatile boolean running = true;

  HeapSampler() {
    System.gc();
    baseline = used();
    peak = baseline;
    sampler =
        Thread.ofPlatform()
            .daemon()
            .name("heap-sampler")
            .start(
                () -> {
                  while (running) {
                    peak = Math.max(peak, used());
                    try {
                      Thread.sleep(10);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  private static long used() {
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  long baselineMb() {
    return baseline >> 20;
  }

  long peakMb() {
    return Math.max(peak, used()) >> 20;
  }

  /** What the case added at its peak, over the baseline. */
  long growthMb() {
    return peakMb() - baselineMb();
  }

  /** Heap alive after a collection at the end, over the baseline (after {@link #close}). */
  long retainedMb() {
    return (live >> 20) - baselineMb();
  }

  static long maxMb() {
    return MEMORY.getHeapMemoryUsage().getMax() >> 20;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.join();
    System.gc();
    live = used();
  }
}
