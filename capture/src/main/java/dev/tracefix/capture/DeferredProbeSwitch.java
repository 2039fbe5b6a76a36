package dev.tracefix.capture;

import dev.tracefix.capture.trigger.ProbeSwitch;
import java.util.List;

/**
 * The trigger engine is built with the event pipeline, before the BPF object it switches probes in
 * is loaded; this forwards to the real switch once bound. Until then nothing can fire: no event has
 * been read.
 */
final class DeferredProbeSwitch implements ProbeSwitch {
  private ProbeSwitch target;

  void bind(ProbeSwitch target) {
    this.target = target;
  }

  @Override
  public List<String> turnOn(TriggerRule rule) {
    return target.turnOn(rule);
  }

  @Override
  public void turnOff(TriggerRule rule) {
    target.turnOff(rule);
  }
}
