package dev.tracefix.capture;

import java.util.List;

/**
 * One time a {@link TriggerRule} turned richer probes on, delivered when they went off again (or
 * when the capture ended while they were on).
 *
 * @param rule the rule as written
 * @param firedAtNs wall-clock ns (the same clock as {@link SafeEvent#timeNs()}) of the event that
 *     pushed the rate over the threshold
 * @param endedAtNs wall-clock ns when the probes were turned off
 * @param observedPerSecond the burst's real rate: matching events in the second that began with the
 *     first of the events that tripped the rule (counted on while the probes were on); when they
 *     went off within that second, the events so far over the time that passed
 * @param thresholdPerSecond the rule's rate
 * @param probes what was turned on ({@link TriggerRule#probeNames()}); a probe that failed to
 *     attach is listed as {@code failed:NAME}
 */
public record TriggerFiring(
    String rule,
    long firedAtNs,
    long endedAtNs,
    double observedPerSecond,
    double thresholdPerSecond,
    List<String> probes) {
  public TriggerFiring {
    probes = List.copyOf(probes);
  }
}
