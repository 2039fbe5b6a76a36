package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --sample TYPE=N: 1 in N records of a type kept in the kernel, the others counted exactly. */
class SamplingCaptureTest {
  private static final int YIELDS = 10_000;

  @TempDir Path dir;

  private static CaptureConfig config(List<String> command, Path keys, Map<String, Integer> s) {
    return new CaptureConfig(
            Duration.ofSeconds(60),
            OptionalInt.empty(),
            command,
            keys,
            0,
            Set.of("sched_yield"),
            List.of())
        .withFilters(List.of(), s, ProbeGroup.ALL);
  }

  @Test
  void keepsExactlyOneInTenSyscallsOfAWorkloadPinnedToOneCpuAndCountsTheRest() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("yield.c");
    Files.copy(getClass().getResourceAsStream("/capture/yield_workload.c"), source);
    Path exe = NativeBuild.gcc(source, dir.resolve("yielder"));
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    // One CPU: the per-CPU sampling counter sees all 10 000 calls, so exactly every 10th is kept.
    CaptureSummary summary =
        Capture.run(
            config(
                List.of("taskset", "-c", "0", exe.toString(), "" + YIELDS),
                dir.resolve("keys"),
                Map.of("syscall", 10)),
            sink);

    TypeStats syscalls =
        summary.stats().stream()
            .filter(t -> t.type().equals("syscall"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no syscall stats: " + summary.stats()));
    long delivered =
        sink.events.stream()
            .filter(e -> e.type() == EventType.SYSCALL && "sched_yield".equals(e.syscall()))
            .count();
    System.out.printf(
        "sampling syscall=10 over %d sched_yield: %s, delivered %d%n", YIELDS, syscalls, delivered);
    assertEquals(0, summary.commandExitCode());
    assertTrue(syscalls.balanced(), "produced = stored + dropped: " + syscalls);
    assertEquals(
        YIELDS,
        syscalls.stored() + syscalls.dropped() + syscalls.sampledOut(),
        "every call is stored, dropped or sampled out");
    assertEquals(YIELDS / 10, syscalls.stored() + syscalls.dropped(), "1 in 10 emitted");
    assertEquals(syscalls.stored(), delivered, "every stored record delivered");
  }

  @Test
  void samplingAnUnknownTypeOrKeepingOneInZeroIsAUserError() {
    CaptureException unknown =
        assertThrows(
            CaptureException.class,
            () ->
                Capture.run(
                    config(List.of("true"), dir, Map.of("fly", 10)),
                    new CaptureTest.RecordingSink()));
    assertEquals(CaptureException.Kind.USER, unknown.kind());
    assertTrue(unknown.getMessage().contains("unknown event type 'fly'"), unknown.getMessage());
    CaptureException zero =
        assertThrows(
            CaptureException.class,
            () ->
                Capture.run(
                    config(List.of("true"), dir, Map.of("syscall", 0)),
                    new CaptureTest.RecordingSink()));
    assertEquals(CaptureException.Kind.USER, zero.kind());
  }
}
