package dev.tracefix.capture.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.TriggerFiring;
import dev.tracefix.capture.TriggerRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate logic against a hand-driven clock; the kernel side is in TriggerCaptureTest. */
class TriggerEngineTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_700_000_000_000L * MS;

  private final List<String> switched = new ArrayList<>();
  private final List<TriggerFiring> firings = new ArrayList<>();
  private final List<SafeEvent> forwarded = new ArrayList<>();
  private long now = T0;

  private final ProbeSwitch probes =
      new ProbeSwitch() {
        @Override
        public List<String> turnOn(TriggerRule rule) {
          switched.add("on " + rule.text());
          // A rate of exactly 1.5/s marks the rule whose stacks cannot be turned on.
          return rule.perSecond() == 1.5 ? List.of("stacks") : List.of();
        }

        @Override
        public void turnOff(TriggerRule rule) {
          switched.add("off " + rule.text());
        }
      };

  private final SafeEventSink downstream =
      new SafeEventSink() {
        @Override
        public void onProcess(SafeProcess process) {}

        @Override
        public void onEvents(List<SafeEvent> batch) {
          forwarded.addAll(batch);
        }

        @Override
        public void onTriggerFiring(TriggerFiring firing) {
          firings.add(firing);
        }
      };

  private TriggerEngine engine(String... rules) {
    TriggerEngine engine =
        new TriggerEngine(
            List.of(rules).stream().map(TriggerRule::parse).toList(),
            probes,
            () -> now,
            downstream);
    engine.onProcess(new SafeProcess("p_api", "api", null, "/svc/api.service", "e_1", "k1"));
    engine.onProcess(new SafeProcess("p_db", "db", null, "/svc/db.service", "e_2", "k1"));
    return engine;
  }

  private static SafeEvent failure(String token, long timeNs, int errno) {
    return SafeEvent.builder(timeNs, EventType.SYSCALL, token, "k1")
        .durationNs(10)
        .errno(errno)
        .syscall("read")
        .fd(3)
        .build();
  }

  /** {@code count} failures of one process spread evenly over {@code spanMs}. */
  private static List<SafeEvent> burst(
      String token, long startNs, int count, long spanMs, int errno) {
    List<SafeEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(failure(token, startNs + i * spanMs * MS / count, errno));
    }
    return events;
  }

  @Test
  void firesWhenTheRateExceedsTheThresholdAndRecordsTheFiringWhenTheTtlEnds() {
    TriggerEngine engine = engine("ETIMEDOUT > 5/s -> stacks for 2s");
    engine.onEvents(burst("p_api", T0, 5, 900, 110)); // 5 in a second: not above 5/s
    assertEquals(List.of(), switched);
    engine.onEvents(List.of(failure("p_api", T0 + 950 * MS, 110))); // the 6th within a second
    assertEquals(List.of("on ETIMEDOUT > 5/s -> stacks for 2s"), switched);
    assertEquals(6, forwarded.size(), "every event still flows downstream");

    now = T0 + 1_999 * MS;
    engine.tick();
    assertEquals(1, switched.size(), "still within the TTL");
    now = T0 + 2_000 * MS;
    engine.tick();
    assertEquals("off ETIMEDOUT > 5/s -> stacks for 2s", switched.get(1));
    assertEquals(
        List.of(
            new TriggerFiring(
                "ETIMEDOUT > 5/s -> stacks for 2s", T0, now, 6, 5, List.of("stacks"))),
        firings);
    assertEquals(1, engine.firings());
  }

  @Test
  void aSlowTrickleOfErrorsNeverFires() {
    TriggerEngine engine = engine("ETIMEDOUT > 5/s -> stacks for 2s");
    engine.onEvents(burst("p_api", T0, 60, 12_000, 110)); // 5 per second for 12 s
    engine.close();
    assertEquals(List.of(), switched);
    assertEquals(List.of(), firings);
  }

  @Test
  void countsOnlyItsErrnosAndItsCgroup() {
    TriggerEngine engine = engine("ECONNRESET > 2/s in /svc/db.service -> stacks for 1s");
    engine.onEvents(burst("p_api", T0, 50, 100, 104)); // another cgroup
    engine.onEvents(burst("p_db", T0, 50, 100, 110)); // another errno
    engine.onEvents(burst("p_db", T0, 50, 100, 0)); // successes
    assertEquals(List.of(), switched);
    engine.onEvents(burst("p_db", T0, 3, 100, 104));
    assertEquals(1, switched.size());
  }

  @Test
  void firesAgainOnlyForANewBurstAfterItsProbesWentOff() {
    TriggerEngine engine = engine("EPIPE > 1/s -> stacks for 1s");
    engine.onEvents(burst("p_api", T0, 10, 100, 32)); // fires on the 2nd, the rest are ignored
    now = T0 + 1_000 * MS;
    engine.tick();
    engine.onEvents(List.of(failure("p_api", now + MS, 32))); // a fresh count: one is not above 1/s
    assertEquals(2, switched.size());
    engine.onEvents(List.of(failure("p_api", now + 2 * MS, 32)));
    now += 5 * MS;
    engine.close(); // the capture ends while the probes are on: the firing is still recorded
    assertEquals(4, switched.size());
    assertEquals(2, firings.size());
    assertEquals(now, firings.get(1).endedAtNs());
  }

  @Test
  void recordsAProbeThatCouldNotBeTurnedOnAsFailed() {
    TriggerEngine engine = engine("EPIPE > 1.5/s -> stacks for 1s");
    engine.onEvents(burst("p_api", T0, 2, 100, 32));
    engine.close();
    assertEquals(List.of("failed:stacks"), firings.getFirst().probes());
  }

  @Test
  void theObservedRateIsTheBurstsRealRateNotTheThresholdPlusOne() {
    TriggerEngine engine = engine("ETIMEDOUT > 5/s -> stacks for 30s");
    engine.onEvents(burst("p_api", T0, 80, 1_000, 110)); // 80/s for one second
    engine.onEvents(burst("p_api", T0 + 1_000 * MS, 50, 1_000, 110)); // the next second: not it
    now = T0 + 30_000 * MS;
    engine.tick();
    assertEquals(80.0, firings.getFirst().observedPerSecond(), firings::toString);
  }

  @Test
  void aBurstCutShortByTheCaptureEndIsRatedOverTheTimeItHad() {
    TriggerEngine engine = engine("ETIMEDOUT > 5/s -> stacks for 30s");
    engine.onEvents(burst("p_api", T0, 20, 250, 110)); // 20 in the first 250 ms
    now = T0 + 250 * MS;
    engine.close();
    assertEquals(80.0, firings.getFirst().observedPerSecond(), firings::toString);
  }
}
