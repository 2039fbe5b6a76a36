package dev.tracefix.capture;

import dev.tracefix.capture.ffm.BpfSession;
import dev.tracefix.capture.pipeline.UprobeResolver.ResolvedUprobe;
import dev.tracefix.capture.trigger.ProbeSwitch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns trigger probes on and off in a running {@link BpfSession}: uprobes are attached on firing
 * and destroyed on expiry. Called only from the capture thread.
 */
final class BpfProbeSwitch implements ProbeSwitch {
  private final BpfSession bpf;
  private final Map<TriggerRule, List<ResolvedUprobe>> uprobesByRule;
  private final Map<TriggerRule, List<BpfSession.Link>> attached = new HashMap<>();

  /** {@code uprobesByRule}: each rule's uprobe targets, resolved before the capture started. */
  BpfProbeSwitch(BpfSession bpf, Map<TriggerRule, List<ResolvedUprobe>> uprobesByRule) {
    this.bpf = bpf;
    this.uprobesByRule = uprobesByRule;
  }

  @Override
  public List<String> turnOn(TriggerRule rule) {
    List<String> failed = new ArrayList<>();
    if (rule.stacks()) {
      // This BPF object takes no stacks yet: recorded as a probe that could not be turned on.
      failed.add("stacks");
    }
    List<BpfSession.Link> links = new ArrayList<>();
    for (ResolvedUprobe u : uprobesByRule.getOrDefault(rule, List.of())) {
      try {
        links.add(attach("handle_uprobe_entry", false, u));
        links.add(attach("handle_uprobe_return", true, u));
      } catch (CaptureException e) {
        // The capture goes on without this probe; the firing records it as failed.
        failed.add("uprobe:" + u.target().symbol());
      }
    }
    attached.put(rule, links);
    return failed;
  }

  @Override
  public void turnOff(TriggerRule rule) {
    for (BpfSession.Link link : attached.getOrDefault(rule, List.of())) {
      bpf.destroy(link);
    }
    attached.remove(rule);
  }

  private BpfSession.Link attach(String program, boolean retprobe, ResolvedUprobe u) {
    return bpf.attachUprobeLink(program, retprobe, u.realPath(), u.fileOffset(), u.probeId());
  }
}
