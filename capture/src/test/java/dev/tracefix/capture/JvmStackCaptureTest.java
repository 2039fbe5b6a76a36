package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM run with frame pointers and a perf map at exit: its write stacks name the hot Java method
 * (frames in JIT code are named once the JVM has written /tmp/perf-PID.map).
 */
class JvmStackCaptureTest {
  private static final int WRITES = 20_000;

  @TempDir Path dir;

  @Test
  void writeStacksOfAJvmNameTheHotJavaMethod() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("HotWriter.java");
    Files.copy(getClass().getResourceAsStream("/capture/HotWriter.java"), source);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Instant started = Instant.now();
    StackRecordingSink sink = new StackRecordingSink();

    CaptureSummary summary;
    try {
      summary =
          Capture.run(
              new CaptureConfig(
                      Duration.ofSeconds(120),
                      OptionalInt.empty(),
                      List.of(
                          java.toString(),
                          "-XX:+PreserveFramePointer",
                          "-XX:+UnlockDiagnosticVMOptions",
                          "-XX:+DumpPerfMapAtExit",
                          "-XX:CompileCommand=quiet",
                          "-XX:CompileCommand=dontinline,HotWriter::hotWriteStep",
                          source.toString(),
                          "" + WRITES),
                      dir.resolve("keys"),
                      0,
                      Set.of("write"))
                  .withStacks(Set.of(EventType.SYSCALL)),
              sink);
    } finally {
      deletePerfMapsSince(started);
    }

    assertEquals(0, summary.commandExitCode());
    List<SafeEvent> writes =
        sink.events.stream()
            .filter(e -> e.type() == EventType.SYSCALL && "write".equals(e.syscall()))
            .toList();
    long hot =
        writes.stream()
            .filter(e -> e.stackId() != 0)
            .filter(
                e ->
                    sink.stacks.get(e.stackId()).frames().stream()
                        .anyMatch(f -> f.contains("hotWriteStep")))
            .count();
    SafeStack example =
        sink.stacks.values().stream()
            .filter(s -> s.frames().stream().anyMatch(f -> f.contains("hotWriteStep")))
            .findFirst()
            .orElse(null);
    System.out.printf(
        "jvm write events %d, with hotWriteStep in the stack %d, distinct stacks %d; e.g. %s%n",
        writes.size(), hot, sink.stacks.size(), example);
    assertTrue(hot >= WRITES / 2, "writes whose stack names hotWriteStep: " + hot);
    assertTrue(sink.stacksNamedBeforeDelivery.isEmpty(), "stack delivered after its event");
    for (String frame : sink.allFrames()) {
      assertFalse(StackRecordingSink.RAW_ADDRESS.matcher(frame).find(), frame);
    }
  }

  /** The JVM's perf map is left in /tmp: remove the one this test made. */
  private static void deletePerfMapsSince(Instant started) throws Exception {
    try (var files = Files.list(Path.of("/tmp"))) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("perf-")
            && name.endsWith(".map")
            && Files.getLastModifiedTime(p).toInstant().isAfter(started)
            && Files.readString(p).contains("HotWriter")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
