package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 32-bit process's syscalls carry i386 numbers: read (3) and getpid (20) would read as close and
 * writev in the x86_64 table. The raw_syscalls programs leave them out rather than record them
 * under the wrong name.
 */
class CompatSyscallCaptureTest {
  @TempDir Path dir;

  @Test
  void recordsNoSyscallOfA32BitProcessUnderAnX8664Name() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("compat32.c");
    Files.copy(getClass().getResourceAsStream("/capture/compat32_workload.c"), source);
    Path exe =
        NativeBuild.gcc(
            source, dir.resolve("compat32"), "-m32", "-nostdlib", "-static", "-fno-pie", "-no-pie");
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(exe.toString()),
                dir.resolve("keys")),
            sink);

    SafeProcess proc =
        sink.processes.stream()
            .filter(p -> p.comm().equals("compat32"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("compat32 not announced: " + sink.processes));
    List<SafeEvent> mine =
        sink.events.stream().filter(e -> e.processToken().equals(proc.token())).toList();
    System.out.printf(
        "compat32: %d events of the process, types %s%n",
        mine.size(), mine.stream().map(SafeEvent::type).distinct().toList());
    assertEquals(0, summary.commandExitCode());
    assertTrue(
        mine.stream().anyMatch(e -> e.type() == EventType.PROCESS_EXIT),
        "the process itself is traced: " + mine);
    List<String> misnamed =
        mine.stream()
            .filter(e -> e.type() == EventType.SYSCALL || e.type() == EventType.SOCKET_WRITE)
            .map(e -> e.type().columnValue() + ":" + e.syscall())
            .toList();
    assertEquals(List.of(), misnamed, "no i386 call recorded as an x86_64 syscall");
  }
}
