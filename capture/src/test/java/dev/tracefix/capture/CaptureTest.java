package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureTest {
  private static final int SENDS = 500;
  private static final int BAD_FD_SENDS = 7;
  private static final int EBADF = 9;

  /** These tests count network events exactly, so no syscall events are asked for. */
  static final Set<String> NETWORK_ONLY = Set.of();

  @TempDir Path dir;

  /** Records what capture delivered, and checks the process-before-event contract as it goes. */
  static final class RecordingSink implements SafeEventSink {
    final List<SafeProcess> processes = Collections.synchronizedList(new ArrayList<>());
    final List<SafeEvent> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> contractViolations = new ArrayList<>();
    final List<TriggerFiring> firings = Collections.synchronizedList(new ArrayList<>());
    final List<SafeStack> stacks = Collections.synchronizedList(new ArrayList<>());
    final List<SyscallStat> syscallStats = Collections.synchronizedList(new ArrayList<>());
    int batches;

    @Override
    public void onSyscallStats(List<SyscallStat> rows) {
      for (SyscallStat r : rows) {
        if (processes.stream().noneMatch(p -> p.token().equals(r.processToken()))) {
          contractViolations.add(r.processToken());
        }
      }
      syscallStats.addAll(rows);
    }

    @Override
    public void onStack(SafeStack stack) {
      stacks.add(stack);
    }

    @Override
    public void onTriggerFiring(TriggerFiring firing) {
      firings.add(firing);
    }

    @Override
    public void onProcess(SafeProcess process) {
      processes.add(process);
    }

    @Override
    public void onEvents(List<SafeEvent> batch) {
      batches++;
      for (SafeEvent e : batch) {
        if (processes.stream().noneMatch(p -> p.token().equals(e.processToken()))) {
          contractViolations.add(e.processToken());
        }
      }
      events.addAll(batch);
    }
  }

  @BeforeEach
  void requireKernel() {
    KernelAssumptions.assumeCaptureAvailable();
  }

  private Path buildWorkload() throws Exception {
    Path source = dir.resolve("sendto-workload.c");
    Files.copy(CaptureTest.class.getResourceAsStream("/capture/sendto_workload.c"), source);
    return NativeBuild.gcc(source, dir.resolve("sendto-workload"));
  }

  @Test
  void followsTheChildrenOfATracedCommandAndTellsThemApart() throws Exception {
    Path workload = buildWorkload();
    RecordingSink sink = new RecordingSink();

    CaptureSummary summary;
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      String port = "" + receiver.getLocalPort();
      // sh forks each workload as a child: the fork probe must add both to the filter.
      summary =
          Capture.run(
              new CaptureConfig(
                  Duration.ofSeconds(60),
                  OptionalInt.empty(),
                  List.of(
                      "sh",
                      "-c",
                      "\"$0\" 11 0 $1 $2.a && \"$0\" 23 2 $1 $2.b",
                      workload.toString(),
                      port,
                      dir.resolve("pid").toString()),
                  dir.resolve("keys"),
                  0,
                  NETWORK_ONLY),
              sink);
    }

    assertEquals(0, summary.commandExitCode());
    assertEquals(0, summary.dropCount());
    List<SafeProcess> children =
        sink.processes.stream().filter(p -> p.comm().equals("sendto-workload")).toList();
    assertEquals(2, children.size(), () -> "two workload processes in " + sink.processes);
    List<Long> perChild =
        children.stream()
            .map(
                p ->
                    sink.events.stream()
                        .filter(e -> e.processToken().equals(p.token()))
                        .filter(e -> e.type() == EventType.SENDTO)
                        .count())
            .sorted()
            .toList();
    assertEquals(List.of(11L, 25L), perChild, "sendto events per child process");
    // Each child also execs once and exits once (with status 0).
    for (SafeProcess child : children) {
      List<SafeEvent> lifecycle =
          sink.events.stream()
              .filter(e -> e.processToken().equals(child.token()))
              .filter(e -> e.type() == EventType.PROCESS_EXEC || e.type() == EventType.PROCESS_EXIT)
              .toList();
      assertEquals(
          List.of(EventType.PROCESS_EXEC, EventType.PROCESS_EXIT),
          lifecycle.stream().map(SafeEvent::type).toList());
      assertEquals(0, lifecycle.getLast().exitStatus());
    }
    assertEquals(sink.events.size(), summary.eventCount());
    assertTrue(
        children.stream().allMatch(p -> p.buildId() != null && p.exeHash() != null),
        () -> "metadata of children " + children);
    assertEquals(1, children.stream().map(SafeProcess::exeHash).distinct().count(), "same exe");
  }

  @Test
  void capturesEverySendtoOfATracedCommandAndNothingRaw() throws Exception {
    Path workload = buildWorkload();
    Path pidFile = dir.resolve("workload.pid");
    RecordingSink sink = new RecordingSink();

    CaptureSummary summary;
    int port;
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = receiver.getLocalPort();
      summary =
          Capture.run(
              new CaptureConfig(
                  Duration.ofSeconds(60),
                  OptionalInt.empty(),
                  List.of(
                      workload.toString(),
                      "" + SENDS,
                      "" + BAD_FD_SENDS,
                      "" + port,
                      pidFile.toString()),
                  dir.resolve("keys"),
                  0,
                  NETWORK_ONLY),
              sink);
    }

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertEquals(0, summary.dropCount(), "ring buffer drops");
    assertEquals(sink.events.size(), summary.eventCount(), "events delivered vs summary");
    assertTrue(
        summary.probes().contains("tracepoint/syscalls/sys_enter_sendto"),
        summary.probes()::toString);
    assertTrue(
        sink.contractViolations.isEmpty(),
        "events before their process: " + sink.contractViolations);

    SafeProcess proc =
        sink.processes.stream()
            .filter(p -> p.comm().equals("sendto-workload"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no process sendto-workload in " + sink.processes));
    assertNotNull(proc.buildId(), "build id of the workload (gcc links with --build-id)");
    assertNotNull(proc.exeHash());
    assertNotNull(proc.cgroup());
    List<SafeEvent> mine =
        sink.events.stream()
            .filter(e -> e.processToken().equals(proc.token()))
            .filter(e -> e.type() == EventType.SENDTO)
            .toList();
    assertEquals(
        List.of(EventType.PROCESS_EXEC, EventType.PROCESS_EXIT),
        sink.events.stream()
            .filter(e -> e.processToken().equals(proc.token()) && e.type() != EventType.SENDTO)
            .map(SafeEvent::type)
            .toList(),
        "besides its sendto calls, the workload execs and exits");
    long ok =
        mine.stream()
            .filter(e -> e.type() == EventType.SENDTO && e.errno() == 0 && e.bytes() == 1)
            .count();
    long badFd =
        mine.stream()
            .filter(e -> e.type() == EventType.SENDTO && e.errno() == EBADF && e.bytes() == 0)
            .count();
    System.out.printf(
        "workload events: %d ok, %d EBADF, %d total; capture total %d, drops %d, batches %d%n",
        ok, badFd, mine.size(), summary.eventCount(), summary.dropCount(), sink.batches);
    assertEquals(SENDS, ok, "successful sendto events");
    assertEquals(BAD_FD_SENDS, badFd, "EBADF sendto events");
    assertEquals(SENDS + BAD_FD_SENDS, mine.size(), "all sendto events of the workload");
    TypeStats sendto =
        summary.stats().stream().filter(t -> t.type().equals("sendto")).findFirst().orElseThrow();
    assertEquals(new TypeStats("sendto", SENDS + BAD_FD_SENDS, SENDS + BAD_FD_SENDS, 0), sendto);
    assertEquals(1, mine.stream().map(SafeEvent::peerHash).distinct().count(), "one peer");
    assertTrue(mine.getFirst().peerHash().startsWith("a_"));
    assertTrue(
        mine.stream().allMatch(e -> e.durationNs() > 0 && e.keyId().equals(summary.keyId())));

    String pid = Files.readString(pidFile).strip();
    List<String> texts =
        Stream.concat(
                sink.events.stream()
                    .flatMap(
                        e ->
                            // Text fields only: a measured number (a 2 µs duration, a byte
                            // count) may equal the pid or the port by chance, and no numeric
                            // column holds an identity.
                            Stream.of(e.processToken(), e.peerHash(), e.keyId())),
                sink.processes.stream()
                    .flatMap(
                        p ->
                            Stream.of(
                                p.token(),
                                p.comm(),
                                p.buildId(),
                                p.cgroup(),
                                p.exeHash(),
                                p.keyId())))
            .filter(s -> s != null)
            .toList();
    for (String raw : List.of(pid, "" + port)) {
      // Bounded by non-hex characters, so a digit run inside a hex token is not a false alarm.
      Pattern asText = Pattern.compile("(?<![0-9a-fA-F])" + raw + "(?![0-9a-fA-F])");
      assertFalse(
          texts.stream().anyMatch(t -> asText.matcher(t).find()), "raw value leaked: " + raw);
    }
    assertFalse(texts.stream().anyMatch(t -> t.contains("127.0.0.1")), "raw address leaked");
    assertFalse(
        texts.stream().anyMatch(t -> t.contains(workload.toString())), "raw exe path leaked");
  }
}
