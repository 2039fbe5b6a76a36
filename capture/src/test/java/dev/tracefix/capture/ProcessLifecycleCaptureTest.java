package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exec and exit of every traced process, children included, with each exit's wait status. */
class ProcessLifecycleCaptureTest {
  @TempDir Path dir;

  @Test
  void reportsEachExecAndEachExitWithItsStatus() {
    KernelAssumptions.assumeCaptureAvailable();
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    // The outer shell runs two child shells: one exits with 3, one kills itself with SIGKILL.
    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of("sh", "-c", "sh -c 'exit 3'; sh -c 'kill -9 $$'; exit 0"),
                dir.resolve("keys"),
                0,
                Set.of()),
            sink);

    List<SafeEvent> execs =
        sink.events.stream().filter(e -> e.type() == EventType.PROCESS_EXEC).toList();
    List<Integer> exits =
        sink.events.stream()
            .filter(e -> e.type() == EventType.PROCESS_EXIT)
            .map(SafeEvent::exitStatus)
            .sorted()
            .toList();
    System.out.printf(
        "lifecycle: %d exec, exit statuses %s, processes %s; stats %s%n",
        execs.size(),
        exits,
        sink.processes.stream().map(SafeProcess::comm).toList(),
        summary.stats());

    assertEquals(0, summary.commandExitCode());
    assertEquals(List.of(0, 9, 3 << 8), exits, "outer 0, SIGKILL 9, exit(3) as 3<<8");
    assertEquals(3, execs.size(), "the outer shell and two child shells each exec'd once");
    assertEquals(3, sink.processes.size(), "three processes announced");
    assertTrue(sink.contractViolations.isEmpty(), "events before their process");
    assertTrue(
        sink.events.stream()
            .filter(e -> e.type() != EventType.PROCESS_EXIT)
            .allMatch(e -> e.exitStatus() == -1));
  }
}
