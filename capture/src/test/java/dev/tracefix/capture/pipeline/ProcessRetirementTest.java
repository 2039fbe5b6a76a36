package dev.tracefix.capture.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.keys.Redactor;
import dev.tracefix.capture.proc.CgroupPaths;
import dev.tracefix.capture.proc.ProcFs;
import dev.tracefix.capture.proc.ProcessTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent left running keeps state only for processes that live: real processes are announced, one
 * exits, and after the grace period everything the assembler and the process table held for it is
 * gone, while the living one stays. Its token, if it is seen again, is the same.
 */
class ProcessRetirementTest {
  @TempDir Path dir;

  @Test
  void anExitedProcessIsForgottenAfterTheGraceAndALivingOneIsKept() throws Exception {
    ProcFs proc = ProcFs.system();
    ProcessTable table = new ProcessTable(proc, CgroupPaths.system());
    List<SafeProcess> announced = new ArrayList<>();
    SafeEventAssembler assembler =
        new SafeEventAssembler(
            new Redactor(KeyStore.current(dir.resolve("keys")), proc.bootId()),
            table,
            new SafeEventSink() {
              @Override
              public void onProcess(SafeProcess process) {
                announced.add(process);
              }

              @Override
              public void onEvents(List<SafeEvent> batch) {}
            },
            SafeEventAssembler.measureBootOffsetNs());
    Process child = new ProcessBuilder("sleep", "60").start();
    int self = (int) ProcessHandle.current().pid();
    int pid = (int) child.pid();
    long childStartNs = startNs(proc, pid);
    String childToken = assembler.processToken(pid, childStartNs);
    assembler.processToken(self, startNs(proc, self));
    assertEquals(2, announced.size());
    assertEquals(2, assembler.knownProcesses());
    assertEquals(2, table.size());

    assertEquals(0, assembler.retireExited(0, 0), "both run: nothing is forgotten");
    child.destroyForcibly();
    child.waitFor();
    assertEquals(0, assembler.retireExited(1_000, 500), "first seen gone: kept for the grace");
    assertEquals(0, assembler.retireExited(1_499, 500), "still within the grace");
    assertEquals(1, assembler.retireExited(1_500, 500), "gone for the grace: forgotten");
    assertEquals(1, assembler.knownProcesses());
    assertEquals(1, table.size());
    assertEquals(0, assembler.retireExited(100_000, 500), "the living process stays");

    // Seen again (a late aggregate): announced anew, under the same token.
    assertEquals(childToken, assembler.processToken(pid, childStartNs));
    assertEquals(3, announced.size(), "announced again");
  }

  /** The process's start as the kernel's aggregates carry it (ns since boot), from /proc. */
  private static long startNs(ProcFs proc, int pid) {
    long ticks = proc.startTimeTicks(pid).orElseThrow();
    long ns = ticks * 10_000_000L; // USER_HZ is 100 on Linux
    assertEquals(ticks, ProcFs.nanosToTicks(ns));
    return ns;
  }
}
