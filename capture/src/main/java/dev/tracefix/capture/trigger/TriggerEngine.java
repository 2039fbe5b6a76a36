package dev.tracefix.capture.trigger;

import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.TriggerFiring;
import dev.tracefix.capture.TriggerRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Watches the event stream for the rules' error bursts and switches richer probes on and off. Sits
 * in front of the privacy guard, so it sees each process's cgroup as the kernel names it; it keeps
 * nothing but tokens, cgroup paths and timestamps, in memory. Every call comes from the capture
 * thread, the one that also polls the ring and may touch the BPF object.
 */
public final class TriggerEngine implements SafeEventSink {
  private static final long SECOND_NS = 1_000_000_000L;

  private final SafeEventSink downstream;
  private final ProbeSwitch probes;
  private final LongSupplier wallClockNs;
  private final List<RuleState> rules = new ArrayList<>();
  private final Map<String, String> cgroupByToken = new HashMap<>();
  private int firings;

  /**
   * @param wallClockNs now, in the clock of {@link SafeEvent#timeNs()} (ns since the epoch)
   */
  public TriggerEngine(
      List<TriggerRule> rules,
      ProbeSwitch probes,
      LongSupplier wallClockNs,
      SafeEventSink downstream) {
    rules.forEach(r -> this.rules.add(new RuleState(r)));
    this.probes = probes;
    this.wallClockNs = wallClockNs;
    this.downstream = downstream;
  }

  @Override
  public void onProcess(SafeProcess process) {
    cgroupByToken.put(process.token(), process.cgroup());
    downstream.onProcess(process);
  }

  @Override
  public void onEvents(List<SafeEvent> batch) {
    for (SafeEvent event : batch) {
      if (event.errno() != 0) {
        for (RuleState rule : rules) {
          rule.observe(event);
        }
      }
    }
    downstream.onEvents(batch);
  }

  @Override
  public void onStack(SafeStack stack) {
    downstream.onStack(stack);
  }

  /** Turns off the probes of rules whose TTL has passed. Call often (every poll). */
  public void tick() {
    long now = wallClockNs.getAsLong();
    for (RuleState rule : rules) {
      if (rule.on && now >= rule.offAtNs) {
        rule.turnOff();
      }
    }
  }

  /** Turns every rule's probes off (the capture is ending) and records their firings. */
  public void close() {
    for (RuleState rule : rules) {
      if (rule.on) {
        rule.turnOff();
      }
    }
  }

  /** How many times a rule fired so far. */
  public int firings() {
    return firings;
  }

  private final class RuleState {
    private final TriggerRule rule;
    private final RateWindow window;
    private boolean on;
    private long onAtNs;
    private long offAtNs;
    private List<String> failed = List.of();

    /** The first of the events that tripped the rule, and the matching events since, within 1 s. */
    private long burstStartNs;

    private long burstEvents;

    RuleState(TriggerRule rule) {
      this.rule = rule;
      this.window = RateWindow.above(rule.perSecond());
    }

    void observe(SafeEvent event) {
      if (!rule.errnos().contains(event.errno())
          || !rule.covers(cgroupByToken.get(event.processToken()))) {
        return;
      }
      if (on) {
        // The window stops at limit + 1 events; the rate is what the burst's first second held.
        if (event.timeNs() - burstStartNs < SECOND_NS) {
          burstEvents++;
        }
        return;
      }
      if (window.add(event.timeNs())) {
        on = true;
        firings++;
        burstStartNs = window.oldestNs();
        burstEvents = window.tripCount();
        onAtNs = wallClockNs.getAsLong();
        offAtNs = onAtNs + rule.ttl().toNanos();
        failed = probes.turnOn(rule);
      }
    }

    void turnOff() {
      probes.turnOff(rule);
      // Read after the probes are gone: an event recorded while they were on is never later.
      long endedAtNs = wallClockNs.getAsLong();
      on = false;
      window.clear();
      List<String> named = new ArrayList<>();
      for (String probe : rule.probeNames()) {
        named.add(failed.contains(probe) ? "failed:" + probe : probe);
      }
      downstream.onTriggerFiring(
          new TriggerFiring(
              rule.text(),
              onAtNs,
              endedAtNs,
              observedPerSecond(endedAtNs),
              rule.perSecond(),
              named));
    }

    /**
     * Matching events in the second that began with the burst's first event; when the probes went
     * off before that second was over, the events so far over the time that passed.
     */
    private double observedPerSecond(long endedAtNs) {
      long spanNs = Math.min(SECOND_NS, Math.max(1, endedAtNs - burstStartNs));
      return burstEvents * (double) SECOND_NS / spanNs;
    }
  }
}
