package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Default mode against an exact-count generator (stats_workload.c, statically linked so that every
 * call of the stats families is one it makes): the in-kernel aggregates count every call, their
 * histograms sum to their counts, every failed call and every slow one is streamed as a record,
 * nothing else is, and no raw_syscalls program is attached.
 */
class SyscallStatsCaptureTest {
  private static final int WRITES = 300;
  private static final int READS = 200;
  private static final int MISSING_OPENS = 7;
  private static final int BAD_CLOSES = 5;
  private static final int REFUSED = 4;
  private static final int SLOW_READS = 5;
  private static final int SLOW_MS = 60;
  private static final Duration RECV_THRESHOLD = Duration.ofMillis(30);
  private static final int ENOENT = 2;
  private static final int EBADF = 9;
  private static final int ECONNREFUSED = 111;

  @TempDir Path dir;
  private Path exe;
  private int closedPort;

  @BeforeEach
  void build() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("stats_workload.c");
    Files.copy(getClass().getResourceAsStream("/capture/stats_workload.c"), source);
    exe = NativeBuild.gcc(source, dir.resolve("statswork"), "-static");
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
  }

  private List<String> command() {
    return List.of(
        exe.toString(),
        "" + WRITES,
        "" + READS,
        "" + MISSING_OPENS,
        "" + BAD_CLOSES,
        "" + REFUSED,
        "" + closedPort,
        "" + SLOW_READS,
        "" + SLOW_MS);
  }

  static CaptureConfig defaultMode(List<String> command, Path keys) {
    return new CaptureConfig(Duration.ofSeconds(60), OptionalInt.empty(), command, keys)
        .withFilters(List.of(), Map.of(), ProbeGroup.DEFAULT)
        .withStats(new StatsConfig(Duration.ofMillis(50), Map.of()).withSlowCall("recv=30ms"));
  }

  private static String key(SyscallStat s) {
    return s.syscall() + (s.errno() == 0 ? "" : "/" + s.errno());
  }

  @Test
  void aggregatesEveryCallExactlyAndStreamsOnlyFailedAndSlowCalls() throws Exception {
    var sink = new CaptureTest.RecordingSink();
    CaptureSummary summary = Capture.run(defaultMode(command(), dir.resolve("keys")), sink);

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertFalse(
        summary.probes().stream().anyMatch(p -> p.contains("raw_syscalls")),
        "default mode attaches no raw_syscalls: " + summary.probes());
    assertTrue(summary.probes().contains("tracepoint/syscalls/sys_exit_read"), summary::toString);
    assertEquals(List.of(), sink.contractViolations, "rows name announced processes only");

    String parent =
        sink.processes.stream()
            .filter(p -> p.comm().equals("statswork"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not announced: " + sink.processes))
            .token();
    // The forked writer, by the fork event (it may be gone before /proc shows its comm).
    String child =
        sink.events.stream()
            .filter(e -> e.type() == EventType.PROCESS_FORK && e.processToken().equals(parent))
            .map(SafeEvent::childToken)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no fork event: " + sink.events));

    Map<String, Long> parentCalls = new TreeMap<>();
    Map<String, Long> childCalls = new TreeMap<>();
    for (SyscallStat s : sink.syscallStats) {
      assertEquals(s.calls(), s.bucketSum(), () -> "buckets sum to calls: " + s);
      assertTrue(s.intervalEndNs() > s.intervalStartNs(), s::toString);
      if (s.processToken().equals(parent)) {
        parentCalls.merge(key(s), s.calls(), Long::sum);
      } else if (s.processToken().equals(child)) {
        childCalls.merge(key(s), s.calls(), Long::sum);
      }
    }
    long intervals =
        sink.syscallStats.stream().map(SyscallStat::intervalStartNs).distinct().count();
    // 50 ms intervals over ~300 ms of pipe reads: the totals are differences across drains.
    assertTrue(intervals >= 2, "rows from several drains: " + intervals);
    System.out.printf(
        "default mode: parent %s, child %s, %d rows over %d intervals; streamed %d; stats %s%n",
        parentCalls,
        childCalls,
        sink.syscallStats.size(),
        intervals,
        sink.events.size(),
        summary.stats());

    Map<String, Long> expected = new TreeMap<>();
    expected.put("write", (long) WRITES);
    expected.put("read", (long) READS + SLOW_READS);
    expected.put("openat", 2L);
    expected.put("openat/" + ENOENT, (long) MISSING_OPENS);
    expected.put("close/" + EBADF, (long) BAD_CLOSES);
    // each connect's socket, the pipe's two ends, /dev/null and /dev/zero
    expected.put("close", REFUSED + 4L);
    expected.put("connect/" + ECONNREFUSED, (long) REFUSED);
    assertEquals(expected, parentCalls, "the generator's calls, exactly");
    assertEquals(Map.of("write", (long) SLOW_READS), childCalls, "the writer's calls, exactly");
    long written =
        sink.syscallStats.stream()
            .filter(s -> s.processToken().equals(parent) && s.syscall().equals("write"))
            .mapToLong(SyscallStat::bytes)
            .sum();
    assertEquals(5L * WRITES, written, "bytes the writes returned");

    // A refused connect is aggregated under its peer (the sockaddr it named), keyed.
    List<SyscallStat> connects =
        sink.syscallStats.stream().filter(s -> s.syscall().equals("connect")).toList();
    assertTrue(
        connects.stream().allMatch(s -> s.peerHash() != null && s.peerHash().startsWith("a_")));
    assertEquals(1, connects.stream().map(SyscallStat::peerHash).distinct().count());

    // Streamed: every failed call, and the successful ones at least as slow as their family's
    // threshold (the pipe reads waited ~60 ms; any other read that slow is streamed too).
    List<SafeEvent> parentEvents =
        sink.events.stream()
            .filter(e -> e.processToken().equals(parent) && e.type() == EventType.SYSCALL)
            .toList();
    Map<String, Long> failed =
        parentEvents.stream()
            .filter(e -> e.errno() != 0)
            .collect(
                Collectors.groupingBy(
                    e -> e.syscall() + "/" + e.errno(), TreeMap::new, Collectors.counting()));
    assertEquals(
        Map.of(
            "openat/" + ENOENT, (long) MISSING_OPENS,
            "close/" + EBADF, (long) BAD_CLOSES,
            "connect/" + ECONNREFUSED, (long) REFUSED),
        failed,
        "every failed call is one record");
    List<SafeEvent> slow = parentEvents.stream().filter(e -> e.errno() == 0).toList();
    assertTrue(
        slow.stream().allMatch(e -> e.durationNs() >= RECV_THRESHOLD.toNanos()),
        "only slow successful calls are streamed: " + slow);
    assertTrue(
        slow.stream().filter(e -> e.syscall().equals("read")).count() >= SLOW_READS,
        "each slow pipe read is streamed: " + slow);
    for (TypeStats t : summary.stats()) {
      assertTrue(t.balanced(), t::toString);
    }
    assertNotNull(
        summary.stats().stream().filter(t -> t.type().equals("syscall")).findFirst().orElse(null));
  }
}
