package dev.tracefix.capture.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
  @TempDir Path root;

  @Test
  void readsStartTimeAfterACommThatContainsParenthesesAndSpaces() throws Exception {
    Files.createDirectories(root.resolve("77"));
    Files.writeString(
        root.resolve("77/stat"),
        "77 (evil ) (name) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 50\n");
    Files.writeString(root.resolve("77/cgroup"), "4:memory:/x\n0::/system.slice/web.service\n");
    ProcFs proc = new ProcFs(root);

    assertEquals(123456, proc.startTimeTicks(77).getAsLong());
    assertEquals(Optional.of("/system.slice/web.service"), proc.cgroupV2(77));
    assertTrue(proc.startTimeTicks(78).isEmpty());
  }

  @Test
  void convertsKernelStartTimeNanosToProcStatTicks() {
    assertEquals(123456, ProcFs.nanosToTicks(1_234_569_999_999L));
  }

  @Test
  void readsThisJvmsOwnStartTime() {
    long pid = ProcessHandle.current().pid();
    assertTrue(ProcFs.system().startTimeTicks((int) pid).getAsLong() > 0);
  }
}
