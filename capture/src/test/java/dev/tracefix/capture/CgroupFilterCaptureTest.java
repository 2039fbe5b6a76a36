package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.proc.CgroupPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --cgroup: only tasks in the given cgroup v2 directories are traced. */
class CgroupFilterCaptureTest {
  private static final int YIELDS = 2_000;

  /** The cgroup2 mount: /sys/fs/cgroup, or e.g. /sys/fs/cgroup/unified on a hybrid host. */
  private static final Path CGROUP_ROOT =
      CgroupPaths.system().mount().orElse(Path.of("/sys/fs/cgroup"));

  @TempDir Path dir;
  private Path cgroup;

  @AfterEach
  void removeCgroup() throws Exception {
    if (cgroup == null || !Files.isDirectory(cgroup)) {
      return;
    }
    // A cgroup is removable once its last task has exited; the exit may still be settling.
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        Files.delete(cgroup);
        return;
      } catch (IOException busy) {
        Thread.sleep(100);
      }
    }
    Files.delete(cgroup);
  }

  private Path yieldWorkload() throws Exception {
    Path source = dir.resolve("yield.c");
    Files.copy(getClass().getResourceAsStream("/capture/yield_workload.c"), source);
    return NativeBuild.gcc(source, dir.resolve("yielder"));
  }

  /**
   * Runs the workload twice, one after the other: first in a shell that moves itself into {@code
   * cgroup} and then execs it, then directly (outside the cgroup).
   */
  private List<String> insideThenOutside(Path exe, Path cgroup) {
    String inside =
        "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec " + exe + " " + YIELDS;
    return List.of("sh", "-c", "sh -c '" + inside + "' && " + exe + " " + YIELDS);
  }

  private static CaptureConfig config(List<String> command, Path keys, List<String> cgroups) {
    return new CaptureConfig(
            Duration.ofSeconds(60),
            OptionalInt.empty(),
            command,
            keys,
            0,
            Set.of("sched_yield"),
            List.of())
        .withFilters(cgroups, Map.of(), ProbeGroup.ALL);
  }

  private static long yields(CaptureTest.RecordingSink sink) {
    return sink.events.stream()
        .filter(e -> e.type() == EventType.SYSCALL && "sched_yield".equals(e.syscall()))
        .count();
  }

  @Test
  void tracesTheWorkloadInTheCgroupAndNotTheIdenticalOneOutsideIt() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    assumeTrue(
        Files.exists(CGROUP_ROOT.resolve("cgroup.procs")),
        "no cgroup v2 hierarchy at " + CGROUP_ROOT);
    Path exe = yieldWorkload();
    cgroup = Files.createDirectory(CGROUP_ROOT.resolve("tracefix-test-" + UUID.randomUUID()));
    String relative = "/" + cgroup.getFileName();

    CaptureTest.RecordingSink filtered = new CaptureTest.RecordingSink();
    CaptureSummary inCgroup =
        Capture.run(
            config(insideThenOutside(exe, cgroup), dir.resolve("keys"), List.of(relative)),
            filtered);
    CaptureTest.RecordingSink unfiltered = new CaptureTest.RecordingSink();
    CaptureSummary both =
        Capture.run(
            config(insideThenOutside(exe, cgroup), dir.resolve("keys"), List.of()), unfiltered);

    System.out.printf(
        "sched_yield events: with --cgroup %s %d (stats %s); without %d (stats %s)%n",
        relative, yields(filtered), inCgroup.stats(), yields(unfiltered), both.stats());
    assertEquals(0, inCgroup.commandExitCode(), "both workloads ran");
    assertEquals(0, both.commandExitCode(), "both workloads ran");
    assertEquals(YIELDS, yields(filtered), "only the workload inside the cgroup");
    assertEquals(2L * YIELDS, yields(unfiltered), "both workloads without the cgroup filter");
    // Processes outside the cgroup leave no exit event either: only the workload inside exits.
    assertEquals(
        1, filtered.events.stream().filter(e -> e.type() == EventType.PROCESS_EXIT).count());
    assertEquals(
        3, unfiltered.events.stream().filter(e -> e.type() == EventType.PROCESS_EXIT).count());
    for (TypeStats t : inCgroup.stats()) {
      assertTrue(t.balanced(), t::toString);
    }
  }

  @Test
  void aCgroupThatDoesNotExistIsAUserErrorNamingIt() {
    assumeTrue(
        Files.exists(CGROUP_ROOT.resolve("cgroup.procs")),
        "no cgroup v2 hierarchy at " + CGROUP_ROOT);
    CaptureException e =
        assertThrows(
            CaptureException.class,
            () ->
                Capture.run(
                    config(List.of("true"), dir.resolve("keys"), List.of("/no/such/cgroup")),
                    new CaptureTest.RecordingSink()));
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertTrue(e.getMessage().contains("cgroup '/no/such/cgroup' does not exist"), e.getMessage());
  }
}
