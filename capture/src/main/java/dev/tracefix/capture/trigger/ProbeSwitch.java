package dev.tracefix.capture.trigger;

import dev.tracefix.capture.TriggerRule;
import java.util.List;

/** Turns a trigger rule's richer probes on and off in the running capture. */
public interface ProbeSwitch {
  /**
   * Turns on what {@code rule} asks for. A probe that cannot be turned on does not stop the
   * capture: it is returned by name (as in {@link TriggerRule#probeNames()}) to be recorded.
   */
  List<String> turnOn(TriggerRule rule);

  /** Turns off what {@link #turnOn} turned on for {@code rule}. */
  void turnOff(TriggerRule rule);

  /** Both switches, {@code first} first; what failed in either is returned. */
  static ProbeSwitch both(ProbeSwitch first, ProbeSwitch second) {
    return new ProbeSwitch() {
      @Override
      public List<String> turnOn(TriggerRule rule) {
        List<String> failed = new java.util.ArrayList<>(first.turnOn(rule));
        failed.addAll(second.turnOn(rule));
        return failed;
      }

      @Override
      public void turnOff(TriggerRule rule) {
        first.turnOff(rule);
        second.turnOff(rule);
      }
    };
  }

  /** For a capture without an attached JVM: a rule's {@code jfr} action fails, by name. */
  ProbeSwitch NO_JVM =
      new ProbeSwitch() {
        @Override
        public List<String> turnOn(TriggerRule rule) {
          return rule.jfr() ? List.of("jfr") : List.of();
        }

        @Override
        public void turnOff(TriggerRule rule) {}
      };
}
