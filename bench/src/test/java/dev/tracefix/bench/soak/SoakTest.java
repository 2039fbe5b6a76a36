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
    // Descriptors while the workload runs: a step while things start (sessions open databases,
    // the capture's store and spool) is fine; growth at the end is a leak. So 20 samples late in
    // the workload's minute must be flat: seconds 35 to 55, as the workload's own clock starts a
    // little before the soak's and the capture detaches (closing its programs) when it ends.
    var window = r.samples().subList(0, Math.min(55, r.samples().size()));
    var last = window.subList(window.size() - 20, window.size());
    System.out.println(
        "capture fds while the workload ran: "
            + window.stream().map(x -> "" + x.captureFds()).toList());
    assertFlat("workbench fds", last.stream().mapToInt(SoakBench.Sample::serverFds).toArray());
    assertFlat("capture fds", last.stream().mapToInt(SoakBench.Sample::captureFds).toArray());
  }

  private static void assertFlat(String what, int[] samples) {
    int min = java.util.Arrays.stream(samples).min().orElseThrow();
    int max = java.util.Arrays.stream(samples).max().orElseThrow();
    assertTrue(max - min <= 8, what + " over the last 20 s: " + java.util.Arrays.toString(samples));
  }

  /** What the test needs to know of the bench's setup. */
  private static final class SoakBenchTestFacts {
    static final int SESSIONS = 20;
  }
}
