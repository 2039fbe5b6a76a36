package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** write(2)/writev(2) on sockets are captured as socket_write; writes to files are not. */
class SocketWriteCaptureTest {
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
  void capturesEverySocketWriteAndWritevButNoFileWrite() throws Exception {
    Path source = dir.resolve("socket-write.c");
    Files.copy(getClass().getResourceAsStream("/capture/socket_write_workload.c"), source);
    Path workload = NativeBuild.gcc(source, dir.resolve("socket-write"));
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
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
                CaptureTest.NETWORK_ONLY),
            sink);

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertEquals(0, summary.dropCount(), "ring buffer drops");
    List<String> writeProbes =
        List.of(
            "tracepoint/syscalls/sys_enter_write",
            "tracepoint/syscalls/sys_exit_write",
            "tracepoint/syscalls/sys_enter_writev",
            "tracepoint/syscalls/sys_exit_writev");
    assertTrue(summary.probes().containsAll(writeProbes), summary.probes()::toString);
    assertTrue(sink.contractViolations.isEmpty(), "events before their process");
    SafeProcess proc =
        sink.processes.stream()
            .filter(p -> p.comm().equals("socket-write"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("workload not announced: " + sink.processes));
    // The workload's TCP connections also produce tcp_state events (TcpEventsCaptureTest); this
    // test counts what is sent.
    List<SafeEvent> mine =
        sink.events.stream()
            .filter(e -> e.processToken().equals(proc.token()))
            .filter(e -> e.type() == EventType.SOCKET_WRITE || e.type() == EventType.SENDTO)
            .toList();
    List<SafeEvent> writes = mine.stream().filter(e -> e.type() == EventType.SOCKET_WRITE).toList();
    long oneByte = writes.stream().filter(e -> e.errno() == 0 && e.bytes() == 1).count();
    long threeBytes = writes.stream().filter(e -> e.errno() == 0 && e.bytes() == 3).count();
    long fileSized = writes.stream().filter(e -> e.bytes() == 5).count();
    long epipe = writes.stream().filter(e -> e.errno() == EPIPE && e.bytes() == 0).count();
    System.out.printf(
        "socket_write events of the workload: %d write, %d writev, %d EPIPE, %d file-sized;"
            + " all events %d, drops %d%n",
        oneByte, threeBytes, epipe, fileSized, mine.size(), summary.dropCount());

    assertEquals(WRITES, oneByte, "successful write() events");
    assertEquals(WRITEVS, threeBytes, "successful writev() events");
    assertEquals(WRITES + WRITEVS, writes.stream().filter(e -> e.bytes() > 0).count());
    assertEquals(EPIPES, epipe, "EPIPE events");
    assertEquals(0, fileSized, "writes to a regular file are not captured");
    assertEquals(WRITES + WRITEVS + EPIPES, mine.size(), "all events of the workload");
    assertTrue(mine.stream().allMatch(e -> e.durationNs() > 0 && e.peerHash() == null));
    assertEquals("socket_write", EventType.SOCKET_WRITE.columnValue());
  }

  /**
   * The JDK sends on TCP with write/writev only. Events carry no comm; the process's comm is read
   * once per process from /proc (the leader's, "java"), not per thread (e.g. "HttpClient-1-Wo").
   */
  @Test
  void seesTheSocketWritesOfAJavaHttpClientAndServer() throws Exception {
    Path program = dir.resolve("HttpRoundTrip.java");
    Files.copy(getClass().getResourceAsStream("/capture/HttpRoundTrip.java"), program);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(120),
                OptionalInt.empty(),
                List.of(java.toString(), program.toString()),
                dir.resolve("keys")),
            sink);

    assertEquals(0, summary.commandExitCode(), "the round trip answered 200");
    assertEquals(0, summary.dropCount(), "ring buffer drops");
    SafeProcess jvm =
        sink.processes.stream()
            .filter(p -> p.comm().equals("java"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("JVM not announced: " + sink.processes));
    List<SafeEvent> mine =
        sink.events.stream().filter(e -> e.processToken().equals(jvm.token())).toList();
    System.out.printf(
        "JVM events by type: %s; processes %s%n",
        mine.stream().collect(Collectors.groupingBy(SafeEvent::type, Collectors.counting())),
        sink.processes.stream().map(SafeProcess::comm).toList());
    long sent =
        mine.stream()
            .filter(e -> e.type() == EventType.SOCKET_WRITE && e.errno() == 0 && e.bytes() > 0)
            .count();
    // The client writes the request and the server writes the response, on different sockets.
    assertTrue(sent >= 2, "request and response writes, got " + sent);
    assertEquals(0, mine.stream().filter(e -> e.type() == EventType.SENDTO).count(), "no sendto");
  }
}
