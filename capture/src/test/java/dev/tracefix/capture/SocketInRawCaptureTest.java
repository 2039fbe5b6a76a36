package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the socket and syscalls probe groups both attached, the raw_syscalls programs do the socket
 * writes' work: the syscalls:* tracepoints stay detached and the socket_write records are the same
 * as through them, whatever the syscall set and its sampling, and each call is one row.
 */
class SocketInRawCaptureTest {
  private static final int WRITES = 40;
  private static final int WRITEVS = 15;
  private static final int FILE_WRITES = 25;
  private static final int EPIPES = 3;
  private static final int EPIPE = 32;

  @TempDir Path dir;

  @BeforeEach
  void requireKernel() {
    KernelAssumptions.assumeCaptureAvailable();
  }

  @Test
  void capturesEverySocketWriteWhenWriteIsNotInTheSyscallSetAndSyscallsAreSampled()
      throws Exception {
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();
    CaptureSummary summary = run(Set.of("sched_yield"), Map.of("syscall", 10), sink);

    assertSocketWritesExact(summary, sink);
    assertEquals(
        0,
        sink.events.stream().filter(e -> e.type() == EventType.SYSCALL).count(),
        "no syscall records for numbers outside the set");
  }

  @Test
  void storesEachSocketWriteOnceNamedByItsSyscallWhenWriteIsInTheSyscallSet() throws Exception {
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();
    CaptureSummary summary = run(Set.of("write", "writev"), Map.of(), sink);

    SafeProcess proc = assertSocketWritesExact(summary, sink);
    List<SafeEvent> mine =
        sink.events.stream().filter(e -> e.processToken().equals(proc.token())).toList();
    // One call, one row: a socket write is a socket_write row naming its syscall and thread,
    // never also a syscall row; a file write is a syscall row.
    List<SafeEvent> writes = mine.stream().filter(e -> e.type() == EventType.SOCKET_WRITE).toList();
    assertEquals(
        WRITES,
        writes.stream().filter(e -> e.syscall().equals("write") && e.bytes() == 1).count(),
        "socket writes named write");
    assertEquals(
        WRITEVS,
        writes.stream().filter(e -> e.syscall().equals("writev") && e.bytes() == 3).count(),
        "socket writes named writev");
    assertTrue(
        writes.stream().allMatch(e -> e.threadToken() != null && e.threadToken().startsWith("t_")),
        "socket writes carry their thread");
    List<SafeEvent> syscalls = mine.stream().filter(e -> e.type() == EventType.SYSCALL).toList();
    assertEquals(
        0,
        syscalls.stream()
            .filter(e -> e.bytes() == 1 || e.bytes() == 3 || e.errno() == EPIPE)
            .count(),
        "socket writes also stored as syscall rows: " + syscalls.size());
    long fileWriteSyscalls =
        syscalls.stream().filter(e -> e.syscall().equals("write") && e.bytes() == 5).count();
    // The workload's pid file may be a 5-byte write too.
    assertTrue(
        fileWriteSyscalls >= FILE_WRITES, "file writes are syscall records: " + fileWriteSyscalls);
  }

  private CaptureSummary run(
      Set<String> syscalls, Map<String, Integer> sampling, CaptureTest.RecordingSink sink)
      throws Exception {
    Path source = dir.resolve("socket-write.c");
    Files.copy(getClass().getResourceAsStream("/capture/socket_write_workload.c"), source);
    Path workload = NativeBuild.gcc(source, dir.resolve("socket-write"));
    return Capture.run(
        new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(
                    workload.toString(),
                    "" + WRITES,
                    "" + WRITEVS,
                    "" + FILE_WRITES,
                    "" + EPIPES,
                    dir.resolve("written.txt").toString(),
                    dir.resolve("workload.pid").toString()),
                dir.resolve("keys"),
                0,
                syscalls,
                List.of())
            .withFilters(List.of(), sampling, ProbeGroup.ALL),
        sink);
  }

  private static SafeProcess assertSocketWritesExact(
      CaptureSummary summary, CaptureTest.RecordingSink sink) {
    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertEquals(0, summary.dropCount(), "ring buffer drops");
    assertTrue(
        summary.probes().contains("tracepoint/raw_syscalls/sys_enter"), summary.probes()::toString);
    assertTrue(
        summary.probes().stream().noneMatch(p -> p.startsWith("tracepoint/syscalls/")),
        summary.probes()::toString);
    SafeProcess proc =
        sink.processes.stream()
            .filter(p -> p.comm().equals("socket-write"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("workload not announced: " + sink.processes));
    List<SafeEvent> writes =
        sink.events.stream()
            .filter(e -> e.processToken().equals(proc.token()))
            .filter(e -> e.type() == EventType.SOCKET_WRITE)
            .toList();
    assertEquals(WRITES, writes.stream().filter(e -> e.errno() == 0 && e.bytes() == 1).count());
    assertEquals(WRITEVS, writes.stream().filter(e -> e.errno() == 0 && e.bytes() == 3).count());
    assertEquals(EPIPES, writes.stream().filter(e -> e.errno() == EPIPE && e.bytes() == 0).count());
    assertEquals(WRITES + WRITEVS + EPIPES, writes.size(), "no file write is a socket_write");
    assertTrue(writes.stream().allMatch(e -> e.durationNs() > 0 && e.peerHash() == null));
    TypeStats stats =
        summary.stats().stream()
            .filter(t -> t.type().equals("socket_write"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no socket_write stats: " + summary.stats()));
    assertTrue(stats.balanced(), "produced = stored + dropped: " + stats);
    assertEquals(0, stats.sampledOut(), "syscall sampling leaves socket_write alone");
    return proc;
  }
}
