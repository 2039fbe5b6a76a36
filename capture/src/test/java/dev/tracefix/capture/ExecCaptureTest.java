package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shell that does something and then execs a program: the program's events are its own (its own
 * token, announced with its own comm), not the shell's, and one exec event links the two tokens.
 */
class ExecCaptureTest {
  private static final int READS = 11;
  private static final int WRITES = 7;

  @TempDir Path dir;

  @Test
  void aProgramExecutedByAnAnnouncedShellGetsItsOwnTokenLinkedByItsExec() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("syscalls.c");
    Files.copy(getClass().getResourceAsStream("/capture/syscall_workload.c"), source);
    Path program = NativeBuild.gcc(source, dir.resolve("execprog"));
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    // The redirection makes the shell open and dup files, so it is announced as sh before it
    // execs the program.
    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(
                    "sh",
                    "-c",
                    ": > /dev/null; exec \"$0\" " + READS + " " + WRITES + " 0 0",
                    program.toString()),
                dir.resolve("keys")),
            sink);

    Map<String, String> commByToken =
        sink.processes.stream()
            .collect(
                Collectors.toMap(SafeProcess::token, SafeProcess::comm, (a, b) -> a + "+" + b));
    List<SafeEvent> links =
        sink.events.stream()
            .filter(e -> e.type() == EventType.PROCESS_EXEC && e.previousToken() != null)
            .toList();
    Map<String, Long> eventsByComm =
        sink.events.stream()
            .collect(
                Collectors.groupingBy(
                    e -> commByToken.getOrDefault(e.processToken(), "?"), Collectors.counting()));
    System.out.printf(
        "exec: processes %s; events by comm %s; %d exec link(s)%n",
        sink.processes.stream().map(SafeProcess::comm).toList(), eventsByComm, links.size());

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertTrue(sink.contractViolations.isEmpty(), "events before their process");
    Set<String> tokens = new HashSet<>();
    for (SafeProcess p : sink.processes) {
      assertTrue(tokens.add(p.token()), () -> "announced twice: " + p);
    }
    String shToken = onlyTokenOf(sink, "sh");
    String programToken = onlyTokenOf(sink, "execprog");
    assertTrue(!shToken.equals(programToken), "the shell and the program share a token");

    assertEquals(1, links.size(), () -> "exec events linking two tokens: " + links);
    assertEquals(shToken, links.getFirst().previousToken(), "the exec names the shell's token");
    assertEquals(programToken, links.getFirst().processToken(), "and is the program's event");

    List<SafeEvent> reads =
        sink.events.stream()
            .filter(e -> e.type() == EventType.SYSCALL && "read".equals(e.syscall()))
            .filter(e -> e.fd() == 100)
            .toList();
    assertEquals(READS, reads.size(), "the program's read() calls on fd 100");
    assertTrue(reads.stream().allMatch(e -> e.processToken().equals(programToken)));
    assertEquals(
        WRITES,
        sink.events.stream()
            .filter(e -> e.processToken().equals(programToken))
            .filter(e -> "write".equals(e.syscall()) && e.fd() == 101)
            .count(),
        "the program's write() calls on fd 101");
    assertTrue(
        sink.events.stream()
            .anyMatch(e -> e.processToken().equals(shToken) && e.type() == EventType.SYSCALL),
        "the shell's own syscalls stay under its token");
    List<String> exitTokens =
        sink.events.stream()
            .filter(e -> e.type() == EventType.PROCESS_EXIT)
            .map(SafeEvent::processToken)
            .toList();
    assertEquals(List.of(programToken), exitTokens, "the process exits as the program");
  }

  private static String onlyTokenOf(CaptureTest.RecordingSink sink, String comm) {
    List<String> tokens =
        sink.processes.stream().filter(p -> p.comm().equals(comm)).map(SafeProcess::token).toList();
    assertEquals(1, tokens.size(), () -> comm + " announced as " + tokens + ": " + sink.processes);
    return tokens.getFirst();
  }
}
