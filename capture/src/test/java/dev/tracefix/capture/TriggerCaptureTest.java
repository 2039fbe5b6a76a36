package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trigger rule turns a uprobe on when refused connects burst, and off after its TTL: the probed
 * function's calls are recorded only while the rule is on, and the firing is reported.
 */
class TriggerCaptureTest {
  private static final int CONNECTS = 100;
  private static final String SYMBOL = "tracefix_slow_path";

  @TempDir Path dir;
  private Path exe;
  private int closedPort;

  @BeforeEach
  void build() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("trigger_workload.c");
    Files.copy(getClass().getResourceAsStream("/capture/trigger_workload.c"), source);
    exe = NativeBuild.gcc(source, dir.resolve("trigwork"));
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
  }

  private CaptureSummary capture(String rule, CaptureTest.RecordingSink sink) {
    CaptureConfig config =
        new CaptureConfig(
            Duration.ofSeconds(60),
            OptionalInt.empty(),
            List.of(exe.toString(), "2500", "800", "" + CONNECTS, "" + closedPort),
            dir.resolve("keys"),
            0,
            Set.of("connect", "clock_nanosleep"),
            List.of());
    return Capture.run(config.withTriggers(List.of(TriggerRule.parse(rule))), sink);
  }

  private static List<SafeEvent> ofType(CaptureTest.RecordingSink sink, EventType type) {
    return sink.events.stream().filter(e -> e.type() == type).toList();
  }

  @Test
  void attachesTheRulesUprobeOnlyWhileRefusedConnectsBurst() {
    var sink = new CaptureTest.RecordingSink();
    String rule = "ECONNREFUSED > 20/s -> uprobe=" + exe + ":" + SYMBOL + " for 1s";
    CaptureSummary summary = capture(rule, sink);

    List<SafeEvent> refused =
        ofType(sink, EventType.SYSCALL).stream().filter(e -> e.errno() == 111).toList();
    List<SafeEvent> calls = ofType(sink, EventType.UPROBE);
    System.out.printf(
        "trigger: %d refused connects, firings %s, %d probed calls recorded%n",
        refused.size(), sink.firings, calls.size());
    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertEquals(CONNECTS, refused.size(), "every refused connect is an event");
    assertEquals(1, sink.firings.size(), sink.firings::toString);
    TriggerFiring firing = sink.firings.getFirst();
    assertEquals(List.of("uprobe:" + SYMBOL), firing.probes());
    // The real rate: all refusals in the second that began with the first one (a fast burst of
    // 100), not the 21 that tripped the 20/s window.
    long firstSecond =
        refused.stream().filter(e -> e.timeNs() - refused.getFirst().timeNs() < 1e9).count();
    assertEquals(CONNECTS, firstSecond, "the burst fits in a second");
    assertEquals(firstSecond, firing.observedPerSecond(), "refusals in the burst's first second");
    assertEquals(20, firing.thresholdPerSecond());
    assertTrue(
        firing.endedAtNs() - firing.firedAtNs() >= Duration.ofSeconds(1).toNanos(),
        "the probe stays on for the TTL");
    // The 21st refusal is what tripped the rule: it happened before the probe went on.
    assertTrue(refused.get(20).timeNs() <= firing.firedAtNs(), "fired after the burst");
    // The workload calls the function every millisecond for 2.5 s: before, during and after.
    assertTrue(!calls.isEmpty(), "calls while the rule was on are recorded");
    for (SafeEvent call : calls) {
      assertTrue(
          call.timeNs() >= firing.firedAtNs() && call.timeNs() <= firing.endedAtNs(),
          "a call recorded outside the firing, ns after firing "
              + (call.timeNs() - firing.firedAtNs())
              + ", ns before its end "
              + (firing.endedAtNs() - call.timeNs()));
    }
  }

  @Test
  void takesStacksOnlyWhileTheRuleIsOn() {
    var sink = new CaptureTest.RecordingSink();
    capture("ECONNREFUSED > 20/s -> stacks for 1s", sink);

    assertEquals(1, sink.firings.size(), sink.firings::toString);
    TriggerFiring firing = sink.firings.getFirst();
    assertEquals(List.of("stacks"), firing.probes());
    // The workload sleeps a millisecond between calls for 2.5 s: its clock_nanosleep events
    // span the time before, during and after the firing.
    List<SafeEvent> naps =
        ofType(sink, EventType.SYSCALL).stream()
            .filter(e -> "clock_nanosleep".equals(e.syscall()))
            .toList();
    List<SafeEvent> withStacks = naps.stream().filter(e -> e.stackId() != 0).toList();
    System.out.printf(
        "trigger stacks: %d naps, %d with a stack, %d stacks delivered, firing %s%n",
        naps.size(), withStacks.size(), sink.stacks.size(), firing);
    assertTrue(!withStacks.isEmpty(), "naps while the rule was on carry stacks");
    assertTrue(
        naps.stream().anyMatch(e -> e.stackId() == 0 && e.timeNs() < firing.firedAtNs()),
        "naps before the firing carry none");
    assertTrue(
        naps.stream().anyMatch(e -> e.stackId() == 0 && e.timeNs() > firing.endedAtNs()),
        "naps after the firing carry none");
    for (SafeEvent nap : withStacks) {
      assertTrue(
          nap.timeNs() >= firing.firedAtNs() && nap.timeNs() <= firing.endedAtNs(),
          "a stack taken outside the firing, ns after firing "
              + (nap.timeNs() - firing.firedAtNs()));
      assertTrue(
          sink.stacks.stream().anyMatch(st -> st.stackId() == nap.stackId()),
          "every stack id is delivered as a stack");
    }
  }

  @Test
  void switchesDefaultModeToFullStreamingForTheTtlAndBack() {
    var sink = new CaptureTest.RecordingSink();
    CaptureConfig config =
        new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(exe.toString(), "2500", "800", "" + CONNECTS, "" + closedPort),
                dir.resolve("keys"),
                0,
                Set.of("connect", "clock_nanosleep"),
                List.of())
            .withFilters(List.of(), java.util.Map.of(), ProbeGroup.DEFAULT)
            .withTriggers(List.of(TriggerRule.parse("ECONNREFUSED > 20/s -> full for 1s")));
    CaptureSummary summary = Capture.run(config, sink);

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertTrue(
        summary.probes().stream().noneMatch(p -> p.contains("raw_syscalls")),
        "raw_syscalls are not attached from the start: " + summary.probes());
    assertEquals(1, sink.firings.size(), sink.firings::toString);
    TriggerFiring firing = sink.firings.getFirst();
    assertEquals(List.of("full"), firing.probes());
    // Refused connects are failures: streamed by the stats exits before the firing, and still
    // exactly once each while raw_syscalls are on (they leave failures to the stats exits).
    List<SafeEvent> refused =
        ofType(sink, EventType.SYSCALL).stream().filter(e -> e.errno() == 111).toList();
    // clock_nanosleep is in no stats family: only full streaming records it, every ms.
    List<SafeEvent> naps =
        ofType(sink, EventType.SYSCALL).stream()
            .filter(e -> "clock_nanosleep".equals(e.syscall()))
            .toList();
    System.out.printf(
        "trigger full: %d refused connects streamed, %d naps streamed, firing %s%n",
        refused.size(), naps.size(), firing);
    assertEquals(CONNECTS, refused.size(), "every refused connect is one record");
    assertTrue(naps.size() >= 100, "naps streamed while full: " + naps.size());
    for (SafeEvent nap : naps) {
      assertTrue(
          nap.timeNs() >= firing.firedAtNs() && nap.timeNs() <= firing.endedAtNs(),
          "a nap streamed outside the firing, ns after firing "
              + (nap.timeNs() - firing.firedAtNs()));
    }
    // After the TTL the workload naps on for about a second more, unrecorded.
    assertTrue(
        firing.endedAtNs() - firing.firedAtNs() < Duration.ofMillis(1800).toNanos(),
        "full streaming went off after its TTL");
    for (TypeStats t : summary.stats()) {
      assertTrue(t.balanced(), t::toString);
    }
  }

  @Test
  void aDutyCycledFullWindowStreamsEveryCallOnlyForItsShareOfEachPeriod() {
    var sink = new CaptureTest.RecordingSink();
    CaptureConfig config =
        new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(exe.toString(), "2500", "800", "" + CONNECTS, "" + closedPort),
                dir.resolve("keys"),
                0,
                Set.of("connect", "clock_nanosleep"),
                List.of())
            .withFilters(List.of(), java.util.Map.of(), ProbeGroup.DEFAULT)
            .withStats(StatsConfig.DEFAULT.withFullDuty("200ms/1s"));
    CaptureSummary summary = Capture.run(config, sink);

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    List<SafeEvent> naps =
        ofType(sink, EventType.SYSCALL).stream()
            .filter(e -> "clock_nanosleep".equals(e.syscall()))
            .toList();
    List<SafeEvent> refused =
        ofType(sink, EventType.SYSCALL).stream().filter(e -> e.errno() == 111).toList();
    // The workload naps about 2500 times, one per millisecond; the windows are on a fifth of the
    // time (polled every 100 ms, so a window runs 200-300 ms).
    System.out.printf(
        "duty-cycled full: %d of ~2500 naps streamed, %d refused connects%n",
        naps.size(), refused.size());
    assertEquals(CONNECTS, refused.size(), "failures are streamed in and out of the windows");
    assertTrue(naps.size() >= 100, "naps streamed inside the windows: " + naps.size());
    assertTrue(naps.size() <= 1250, "naps not streamed outside them: " + naps.size());
    // Gaps of at least half a period between streamed naps: windows, not a stream.
    long gaps = 0;
    for (int i = 1; i < naps.size(); i++) {
      if (naps.get(i).timeNs() - naps.get(i - 1).timeNs() >= 500_000_000L) {
        gaps++;
      }
    }
    assertTrue(gaps >= 1, "windows separated by unstreamed time");
  }

  @Test
  void aRuleLimitedToAnotherCgroupNeverFires() {
    var sink = new CaptureTest.RecordingSink();
    capture(
        "ECONNREFUSED > 20/s in /tracefix-no-such.slice -> uprobe="
            + exe
            + ":"
            + SYMBOL
            + " for 1s",
        sink);
    assertEquals(
        CONNECTS, ofType(sink, EventType.SYSCALL).stream().filter(e -> e.errno() == 111).count());
    assertEquals(List.of(), sink.firings);
    assertEquals(List.of(), ofType(sink, EventType.UPROBE));
  }
}
