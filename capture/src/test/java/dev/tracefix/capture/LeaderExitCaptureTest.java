package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process stays traced while any of its threads lives, even after its leader has exited. */
class LeaderExitCaptureTest {
  private static final int WRITES = 300;

  @TempDir Path dir;

  @Test
  void keepsTracingAProcessWhoseLeaderCalledPthreadExit() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("leader-exit.c");
    Files.copy(getClass().getResourceAsStream("/capture/leader_exit_workload.c"), source);
    Path workload = NativeBuild.gcc(source, dir.resolve("leader-exit"), "-pthread");
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(workload.toString(), "" + WRITES),
                dir.resolve("keys")),
            sink);

    long writes = sink.events.stream().filter(e -> e.type() == EventType.SOCKET_WRITE).count();
    System.out.printf(
        "writes after the leader exited: %d of %d; stats %s%n", writes, WRITES, summary.stats());
    assertEquals(0, summary.commandExitCode());
    assertEquals(WRITES, writes, "socket writes of the surviving thread");
  }
}
