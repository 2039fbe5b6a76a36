package dev.tracefix.capture;

/**
 * A default-mode capture that streams every call for part of every period ({@link
 * StatsConfig#fullFor()} in {@link StatsConfig#fullEvery()}, e.g. 1 s in 20 s): a sample of
 * per-call rows at a twentieth of full mode's cost. Ticked from the capture thread's poll loop (100
 * ms), so a window starts and ends within a poll of its time.
 */
final class FullDutyCycle {
  private final BpfProbeSwitch switches;
  private final long onNs;
  private final long periodNs;
  private final long startNs = System.nanoTime();
  private boolean on;

  FullDutyCycle(BpfProbeSwitch switches, StatsConfig stats) {
    this.switches = switches;
    this.onNs = stats.fullFor().toNanos();
    this.periodNs = stats.fullEvery().toNanos();
  }

  /** Turns full streaming on at the start of each period and off after its window. */
  void tick(long nowNs) {
    boolean want = (nowNs - startNs) % periodNs < onNs;
    if (want && !on) {
      on = switches.fullOn();
    } else if (!want && on) {
      switches.fullOff();
      on = false;
    }
  }

  void close() {
    if (on) {
      switches.fullOff();
      on = false;
    }
  }
}
