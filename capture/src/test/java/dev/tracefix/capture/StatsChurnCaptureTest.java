package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Default mode over many short processes (churn_workload.c): the kernel's aggregate map is given
 * room for {@value #MAP_ENTRIES} keys while the children make {@value #CHILDREN} x 3, so it only
 * keeps up if the keys of exited processes are deleted after their last drain. Every call is still
 * counted exactly, once: a key deleted too early would lose the calls after its last read, one
 * never deleted would fill the map and send later calls to the overflow count instead.
 */
class StatsChurnCaptureTest {
  private static final int CHILDREN = 400;
  private static final int WRITES = 10;
  private static final int PAUSE_US = 5_000;
  private static final int MAP_ENTRIES = 512;
  private static final int EBADF = 9;

  @TempDir Path dir;

  @Test
  void keysOfExitedProcessesAreDeletedAndEveryCallIsCountedOnce() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("churn_workload.c");
    Files.copy(getClass().getResourceAsStream("/capture/churn_workload.c"), source);
    Path exe = NativeBuild.gcc(source, dir.resolve("churnwork"), "-static");
    CaptureConfig config =
        SyscallStatsCaptureTest.defaultMode(
                List.of(exe.toString(), "" + CHILDREN, "" + WRITES, "" + PAUSE_US),
                dir.resolve("keys"))
            .withStats(
                new StatsConfig(Duration.ofMillis(25), Map.of()).withMapEntries(MAP_ENTRIES));
    var sink = new CaptureTest.RecordingSink();
    CaptureSummary summary = Capture.run(config, sink);

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertEquals(List.of(), sink.contractViolations, "rows name announced processes only");
    String parent =
        sink.processes.stream()
            .filter(p -> p.comm().equals("churnwork"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not announced: " + sink.processes))
            .token();
    Set<String> children =
        sink.events.stream()
            .filter(e -> e.type() == EventType.PROCESS_FORK && e.processToken().equals(parent))
            .map(SafeEvent::childToken)
            .collect(Collectors.toSet());
    assertEquals(CHILDREN, children.size(), "a fork event per child");

    Map<String, Long> parentCalls = new TreeMap<>();
    Map<String, Long> childCalls = new TreeMap<>();
    for (SyscallStat s : sink.syscallStats) {
      assertEquals(s.calls(), s.bucketSum(), () -> "buckets sum to calls: " + s);
      String key = s.syscall() + (s.errno() == 0 ? "" : "/" + s.errno());
      if (s.processToken().equals(parent)) {
        parentCalls.merge(key, s.calls(), Long::sum);
      } else if (children.contains(s.processToken())) {
        childCalls.merge(key, s.calls(), Long::sum);
      }
    }
    long childrenWithRows =
        sink.syscallStats.stream()
            .map(SyscallStat::processToken)
            .filter(children::contains)
            .distinct()
            .count();
    long intervals =
        sink.syscallStats.stream().map(SyscallStat::intervalStartNs).distinct().count();
    System.out.printf(
        "churn: %d children (%d with rows), map of %d keys; parent %s, children %s;"
            + " %d rows over %d intervals%n",
        children.size(),
        childrenWithRows,
        MAP_ENTRIES,
        parentCalls,
        childCalls,
        sink.syscallStats.size(),
        intervals);
    assertTrue(3L * CHILDREN > 2 * MAP_ENTRIES, "the children's keys overfill the map twice over");
    assertEquals(Map.of("openat", 2L), parentCalls, "the parent's calls, exactly");
    assertEquals(
        Map.of(
            "write",
            (long) CHILDREN * WRITES,
            "read",
            (long) CHILDREN,
            "close/" + EBADF,
            (long) CHILDREN),
        childCalls,
        "every child's calls, exactly, though their keys outnumber the map's room");
    assertEquals(CHILDREN, childrenWithRows, "each child has its rows");
  }

  /**
   * A map too small for the keys of one interval (the only drain is the last one): the calls that
   * found it full are not aggregated, and the capture says so — its {@code syscall_stats} line has
   * produced = every call the generator made, stored = the calls in the rows, dropped = the rest —
   * without counting them as dropped events.
   */
  @Test
  void callsAFullMapCouldNotTakeAreCountedAsItsLoss() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    int children = 20;
    Path source = dir.resolve("churn_workload.c");
    Files.copy(getClass().getResourceAsStream("/capture/churn_workload.c"), source);
    Path exe = NativeBuild.gcc(source, dir.resolve("churnwork"), "-static");
    CaptureConfig config =
        SyscallStatsCaptureTest.defaultMode(
                List.of(exe.toString(), "" + children, "" + WRITES, "0"), dir.resolve("keys"))
            .withStats(new StatsConfig(Duration.ofSeconds(60), Map.of()).withMapEntries(16));
    var sink = new CaptureTest.RecordingSink();
    CaptureSummary summary = Capture.run(config, sink);

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    TypeStats aggregates =
        summary.stats().stream()
            .filter(t -> t.type().equals(Capture.AGGREGATES))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no aggregate line in " + summary.stats()));
    long inRows = sink.syscallStats.stream().mapToLong(SyscallStat::calls).sum();
    System.out.printf("full map: %s, calls in rows %d%n", aggregates, inRows);
    // The parent's two opens, and per child its writes, one read and one failed close.
    assertEquals(2L + children * (WRITES + 2L), aggregates.produced(), "every call seen");
    assertEquals(inRows, aggregates.stored(), "stored: the calls the rows hold");
    assertEquals(
        aggregates.produced() - aggregates.stored(), aggregates.dropped(), "dropped: the rest");
    assertTrue(
        aggregates.dropped() > 0,
        "a 16-key map cannot hold the 3 keys of each of " + children + " children");
    assertEquals(0, summary.dropCount(), "no event was dropped: the ring had room");
  }
}
