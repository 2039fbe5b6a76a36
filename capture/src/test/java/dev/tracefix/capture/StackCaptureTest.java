package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syscall events carry symbolized kernel and user stacks, delivered before their events. */
class StackCaptureTest {
  private static final int WRITES = 40;

  @TempDir Path dir;

  @Test
  void everyWriteOfTheWorkloadHasAStackThroughInnerStepOuterStepAndMain() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("stacks.c");
    Files.copy(getClass().getResourceAsStream("/capture/stack_workload.c"), source);
    Path exe = NativeBuild.gcc(source, dir.resolve("stacks"), "-O0", "-fno-omit-frame-pointer");
    StackRecordingSink sink = new StackRecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                    Duration.ofSeconds(60),
                    OptionalInt.empty(),
                    List.of(exe.toString(), "" + WRITES),
                    dir.resolve("keys"),
                    0,
                    Set.of("write"))
                .withStacks(Set.of(EventType.SYSCALL)),
            sink);

    assertEquals(0, summary.commandExitCode());
    SafeProcess proc = sink.process("stacks");
    List<SafeEvent> writes =
        sink.events.stream()
            .filter(
                e ->
                    e.processToken().equals(proc.token())
                        && e.type() == EventType.SYSCALL
                        && "write".equals(e.syscall())
                        && e.fd() == 77)
            .toList();
    SafeStack first = writes.isEmpty() ? null : sink.stacks.get(writes.get(0).stackId());
    System.out.printf(
        "write events %d, distinct stacks %d, stack of the first: %s%n",
        writes.size(), sink.stacks.size(), first);
    assertEquals(WRITES, writes.size());
    for (SafeEvent e : writes) {
      assertNotEquals(0, e.stackId(), "a write without a stack");
      assertTrue(e.threadToken() != null && e.threadToken().startsWith("t_"), e.threadToken());
      SafeStack stack = sink.stacks.get(e.stackId());
      int inner = StackRecordingSink.indexOf(stack.frames(), "!inner_step+", 0);
      int outer = StackRecordingSink.indexOf(stack.frames(), "!outer_step+", inner + 1);
      int main = StackRecordingSink.indexOf(stack.frames(), "!main+", outer + 1);
      assertTrue(inner >= 0 && outer > inner && main > outer, () -> "frames " + stack.frames());
      assertFalse(stack.kernelFrames().isEmpty(), "kernel frames");
    }
    assertTrue(sink.stacksNamedBeforeDelivery.isEmpty(), "stack delivered after its event");
    assertTrue(sink.stacksDeliveredTwice.isEmpty(), "stack delivered twice");
    for (String frame : sink.allFrames()) {
      assertFalse(StackRecordingSink.RAW_ADDRESS.matcher(frame).find(), frame);
    }
  }
}
