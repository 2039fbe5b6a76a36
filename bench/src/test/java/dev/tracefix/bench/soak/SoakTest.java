package dev.tracefix.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of bench/soak.sh for 60 s: a kernel capture of a busy workload and 20 notebook sessions
 * at once. Counts must be exact, no cell may fail, no error may be logged, and file descriptors
 * must stay bounded. Memory is reported, not judged here (its trend needs the long bench run).
 */
class SoakTest {
  @TempDir Path work;

  @Test
  void aMinuteOfCaptureAndTwentySessionsLosesNothingAndLeaksNoDescriptors() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean root = "root".equals(System.getProperty("user.name"));
    assertTrue(!ci || root, "CI runs as root: the soak must capture there");
    assumeTrue(root, "kernel capture needs root; the soak runs in CI");

    SoakBench.Result r =
        SoakBench.run(Duration.ofSeconds(60), work, Path.of("../examples/recorded-capture"));
    SoakBench.report(r, System.out);

    assertEquals(0, r.captureExit(), "capture exit (the workload ends itself)");
    assertTrue(r.samples().size() >= 50, "sampled each second: " + r.samples().size());
    assertTrue(r.cellRuns() > SoakBenchTestFacts.SESSIONS, "cells ran: " + r.cellRuns());
    assertEquals(0, r.failedRuns(), "failed cell runs");
    assertTrue(r.produced() > 0, "the workload was captured");
    assertTrue(r.countsExact(), "produced = stored + dropped, stored = rows = event_count");
    assertEquals(java.util.List.of(), r.captureErrors(), "errors in the capture's log");
    // Descriptors: after the first ten seconds (sessions open their databases), flat.
    var settled = r.samples().subList(10, r.samples().size());
    int serverMin = settled.stream().mapToInt(SoakBench.Sample::serverFds).min().orElseThrow();
    int serverMax = settled.stream().mapToInt(SoakBench.Sample::serverFds).max().orElseThrow();
    assertTrue(serverMax - serverMin <= 64, "workbench fds " + serverMin + ".." + serverMax);
    int captureMin = settled.stream().mapToInt(SoakBench.Sample::captureFds).min().orElseThrow();
    int captureMax = settled.stream().mapToInt(SoakBench.Sample::captureFds).max().orElseThrow();
    assertTrue(captureMax - captureMin <= 16, "capture fds " + captureMin + ".." + captureMax);
  }

  /** What the test needs to know of the bench's setup. */
  private static final class SoakBenchTestFacts {
    static final int SESSIONS = 20;
  }
}
