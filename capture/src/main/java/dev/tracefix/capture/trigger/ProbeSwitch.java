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
}
