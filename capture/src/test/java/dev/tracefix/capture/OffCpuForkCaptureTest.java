package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off-CPU spans from sched_switch, and forks of new processes (not threads). The naps are told
 * apart by their stack's clock_nanosleep frame: glibc's nanosleep and clock_nanosleep both keep no
 * frame pointer, so a frame-pointer walk cannot show nap_step itself.
 */
class OffCpuForkCaptureTest {
  private static final int NAPS = 6;
  private static final int CHILDREN = 4;

  @TempDir Path dir;

  private List<String> workload(int naps, int children) throws Exception {
    Path source = dir.resolve("offcpu.c");
    Files.copy(getClass().getResourceAsStream("/capture/offcpu_fork_workload.c"), source);
    Path exe =
        NativeBuild.gcc(
            source, dir.resolve("offcpu"), "-O0", "-fno-omit-frame-pointer", "-pthread");
    return List.of(exe.toString(), "" + naps, "" + children);
  }

  @Test
  void eachTwentyMillisecondNapIsOneSleepingOffCpuEventWithItsStack() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    StackRecordingSink sink = new StackRecordingSink();
    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                    Duration.ofSeconds(60),
                    OptionalInt.empty(),
                    workload(NAPS, 0),
                    dir.resolve("keys"),
                    0,
                    Set.of())
                .withStacks(Set.of(EventType.OFF_CPU))
                .withOffCpu(Duration.ofMillis(1)),
            sink);

    assertEquals(0, summary.commandExitCode());
    assertTrue(
        summary.probes().contains("tracepoint/sched/sched_switch"), summary.probes()::toString);
    // The last announcement: the gate shell may be announced under the program's comm too.
    SafeProcess proc =
        sink.processes.stream()
            .filter(p -> p.comm().equals("offcpu"))
            .reduce((first, second) -> second)
            .orElseThrow();
    List<SafeEvent> naps =
        sink.events.stream()
            .filter(e -> e.processToken().equals(proc.token()) && e.type() == EventType.OFF_CPU)
            .filter(
                e ->
                    e.stackId() != 0
                        && sink.stacks.get(e.stackId()).frames().stream()
                            .anyMatch(f -> f.contains("!clock_nanosleep+")))
            .toList();
    System.out.printf(
        "off-CPU events in clock_nanosleep (the naps) %d of %d off-CPU events; waits %s; e.g. %s%n",
        naps.size(),
        sink.events.stream().filter(e -> e.type() == EventType.OFF_CPU).count(),
        naps.stream().map(SafeEvent::waitState).distinct().toList(),
        naps.isEmpty() ? null : sink.stacks.get(naps.get(0).stackId()));
    // Every off-CPU event that is not a counted nap, with its process and stack: when a nap is
    // missing, this says whether it went to another token or lost its user frames.
    sink.events.stream()
        .filter(e -> e.type() == EventType.OFF_CPU && !naps.contains(e))
        .forEach(
            e ->
                System.out.println(
                    "other off-CPU event: token "
                        + e.processToken()
                        + (e.processToken().equals(proc.token()) ? " (the workload)" : "")
                        + ", "
                        + e.durationNs() / 1_000_000
                        + " ms, stack "
                        + (e.stackId() == 0 ? "none" : sink.stacks.get(e.stackId()))));
    System.out.println("announced: " + sink.processes);
    assertEquals(NAPS, naps.size());
    for (SafeEvent e : naps) {
      assertTrue(e.durationNs() >= 20_000_000L, "off-CPU ns " + e.durationNs());
      assertEquals("sleeping", e.waitState());
      assertTrue(e.threadToken().startsWith("t_"));
      assertTrue(!sink.stacks.get(e.stackId()).kernelFrames().isEmpty());
    }
    assertEquals(1, naps.stream().map(SafeEvent::threadToken).distinct().count());
  }

  @Test
  void eachForkedChildIsOneForkEventAndThreadsAreNone() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    StackRecordingSink sink = new StackRecordingSink();
    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                workload(0, CHILDREN),
                dir.resolve("keys"),
                0,
                Set.of()),
            sink);

    assertEquals(0, summary.commandExitCode());
    SafeProcess proc = sink.process("offcpu");
    List<SafeEvent> forks =
        sink.events.stream()
            .filter(
                e -> e.processToken().equals(proc.token()) && e.type() == EventType.PROCESS_FORK)
            .toList();
    System.out.printf(
        "fork events of the workload %d, distinct child tokens %d%n",
        forks.size(), forks.stream().map(SafeEvent::childToken).distinct().count());
    assertEquals(CHILDREN, forks.size());
    assertEquals(CHILDREN, forks.stream().map(SafeEvent::childToken).distinct().count());
    assertTrue(forks.stream().allMatch(e -> e.childToken().startsWith("p_")));
  }
}
