package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** raw_syscalls enter/exit pairs become one syscall event each, with name, result and fd. */
class SyscallCaptureTest {
  private static final int READS = 120;
  private static final int WRITES = 70;
  private static final int FUTEXES = 33;
  private static final int REFUSED = 9;
  private static final int EAGAIN = 11;
  private static final int ECONNREFUSED = 111;

  @TempDir Path dir;

  private List<String> workload() throws Exception {
    Path source = dir.resolve("syscalls.c");
    Files.copy(getClass().getResourceAsStream("/capture/syscall_workload.c"), source);
    Path exe = NativeBuild.gcc(source, dir.resolve("syscalls"));
    return List.of(exe.toString(), "" + READS, "" + WRITES, "" + FUTEXES, "" + REFUSED);
  }

  private static long count(List<SafeEvent> events, Predicate<SafeEvent> which) {
    return events.stream().filter(which).count();
  }

  @Test
  void countsEveryReadWriteFutexAndRefusedConnectOfTheWorkloadExactly() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60), OptionalInt.empty(), workload(), dir.resolve("keys")),
            sink);

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertTrue(summary.probes().contains("tracepoint/raw_syscalls/sys_enter"));
    SafeProcess proc =
        sink.processes.stream()
            .filter(p -> p.comm().equals("syscalls"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("workload not announced: " + sink.processes));
    List<SafeEvent> mine =
        sink.events.stream()
            .filter(e -> e.processToken().equals(proc.token()) && e.type() == EventType.SYSCALL)
            .toList();
    Map<String, Long> byName =
        mine.stream().collect(Collectors.groupingBy(SafeEvent::syscall, Collectors.counting()));
    long reads = count(mine, e -> e.syscall().equals("read") && e.fd() == 100);
    long writes = count(mine, e -> e.syscall().equals("write") && e.fd() == 101);
    long futexAgain = count(mine, e -> e.syscall().equals("futex") && e.errno() == EAGAIN);
    long refused = count(mine, e -> e.syscall().equals("connect") && e.errno() == ECONNREFUSED);
    System.out.printf(
        "syscall events of the workload: read(fd 100) %d, write(fd 101) %d, futex EAGAIN %d,"
            + " connect ECONNREFUSED %d; by name %s; stats %s%n",
        reads, writes, futexAgain, refused, byName, summary.stats());

    assertEquals(READS, reads, "read() on fd 100");
    assertTrue(
        mine.stream()
            .filter(e -> e.syscall().equals("read") && e.fd() == 100)
            .allMatch(e -> e.bytes() == 8 && e.errno() == 0 && e.durationNs() > 0));
    assertEquals(WRITES, writes, "write() on fd 101");
    assertTrue(
        mine.stream()
            .filter(e -> e.syscall().equals("write") && e.fd() == 101)
            .allMatch(e -> e.bytes() == 5 && e.errno() == 0));
    assertEquals(FUTEXES, futexAgain, "futex() failing with EAGAIN");
    assertEquals(REFUSED, refused, "connect() failing with ECONNREFUSED");
    assertEquals(REFUSED + 1L, byName.get("socket"), "socket(): one probe, one per connect");
    assertTrue(
        mine.stream()
            .filter(e -> e.syscall().equals("futex") || e.syscall().equals("socket"))
            .allMatch(e -> e.fd() == -1),
        "syscalls without an fd argument carry fd -1");
    assertTrue(mine.stream().allMatch(e -> e.peerHash() == null));
    assertEquals("syscall", EventType.SYSCALL.columnValue());
    for (TypeStats t : summary.stats()) {
      assertTrue(t.balanced(), t::toString);
    }
  }

  @Test
  void anEmptySyscallSetAttachesNoRawSyscallProbeAndRecordsNoSyscall() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                workload(),
                dir.resolve("keys"),
                0,
                Set.of()),
            sink);

    assertEquals(0, summary.commandExitCode());
    assertFalse(summary.probes().stream().anyMatch(p -> p.contains("raw_syscalls")));
    assertEquals(0, count(sink.events, e -> e.type() == EventType.SYSCALL));
  }

  @Test
  void anUnknownSyscallNameIsAUserErrorNamingIt() {
    CaptureException e =
        assertThrows(
            CaptureException.class,
            () ->
                Capture.run(
                    new CaptureConfig(
                        Duration.ofSeconds(1),
                        OptionalInt.empty(),
                        List.of("true"),
                        dir,
                        0,
                        Set.of("fly")),
                    new CaptureTest.RecordingSink()));
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertTrue(e.getMessage().contains("unknown syscall 'fly'"), e.getMessage());
  }
}
