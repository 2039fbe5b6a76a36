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
 * and destroyed on expiry; stacks are a bit per event type in the runtime-writable {@code
 * stack_types} map, on while any firing rule wants them. Called only from the capture thread.
 */
final class BpfProbeSwitch implements ProbeSwitch {
  private final BpfSession bpf;
  private final Map<TriggerRule, List<ResolvedUprobe>> uprobesByRule;
  private final Map<TriggerRule, List<BpfSession.Link>> attached = new HashMap<>();
  private final int baseStackBits;
  private final int triggerStackBits;
  private final boolean fullAlwaysOn;
  private int rulesWantingStacks;
  private int rulesWantingFull;
  private final List<BpfSession.Link> fullLinks = new ArrayList<>();
  private final java.util.Set<TriggerRule> rulesWithFull = new java.util.HashSet<>();

  /** The raw_syscalls pair a {@code full} firing attaches (configured before load for it). */
  static final List<String> FULL_PROGRAMS = List.of("handle_raw_sys_enter", "handle_raw_sys_exit");

  /**
   * @param uprobesByRule each rule's uprobe targets, resolved before the capture started
   * @param baseStackBits the capture's own stack_types mask, restored when no rule wants stacks
   * @param triggerStackBits the event types a rule's stacks cover
   * @param fullAlwaysOn raw_syscalls are attached for the whole capture ({@code --probes full}): a
   *     rule's {@code full} has nothing to add
   */
  BpfProbeSwitch(
      BpfSession bpf,
      Map<TriggerRule, List<ResolvedUprobe>> uprobesByRule,
      int baseStackBits,
      int triggerStackBits,
      boolean fullAlwaysOn) {
    this.bpf = bpf;
    this.uprobesByRule = uprobesByRule;
    this.baseStackBits = baseStackBits;
    this.triggerStackBits = triggerStackBits;
    this.fullAlwaysOn = fullAlwaysOn;
  }

  /**
   * Full streaming on, for a rule or the duty cycle (counted: it stays on while anyone wants it).
   * False when the programs could not be attached (nothing is left attached then).
   */
  boolean fullOn() {
    if (fullAlwaysOn || rulesWantingFull++ > 0) {
      return true;
    }
    try {
      // Enter before exit: an exit pairs only with an enter it saw, so a call in flight at the
      // switch is not streamed half-seen. Failed and slow calls stay the stats exits' records.
      for (String program : FULL_PROGRAMS) {
        fullLinks.add(bpf.attachProgramLink(program));
      }
      return true;
    } catch (CaptureException e) {
      fullLinks.forEach(bpf::destroy);
      fullLinks.clear();
      rulesWantingFull--;
      return false;
    }
  }

  /** Undoes one {@link #fullOn} that succeeded. */
  void fullOff() {
    if (!fullAlwaysOn && rulesWantingFull > 0 && --rulesWantingFull == 0) {
      fullLinks.forEach(bpf::destroy);
      fullLinks.clear();
    }
  }

  @Override
  public List<String> turnOn(TriggerRule rule) {
    List<String> failed = new ArrayList<>();
    if (rule.full()) {
      if (fullOn()) {
        rulesWithFull.add(rule);
      } else {
        failed.add("full");
      }
    }
    if (rule.stacks()) {
      try {
        if (rulesWantingStacks++ == 0) {
          bpf.maps().putArrayU32("stack_types", 0, baseStackBits | triggerStackBits);
        }
      } catch (CaptureException e) {
        rulesWantingStacks--;
        failed.add("stacks");
      }
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
    if (rulesWithFull.remove(rule)) {
      fullOff();
    }
    if (rule.stacks() && rulesWantingStacks > 0 && --rulesWantingStacks == 0) {
      bpf.maps().putArrayU32("stack_types", 0, baseStackBits);
    }
    for (BpfSession.Link link : attached.getOrDefault(rule, List.of())) {
      bpf.destroy(link);
    }
    attached.remove(rule);
  }

  private BpfSession.Link attach(String program, boolean retprobe, ResolvedUprobe u) {
    return bpf.attachUprobeLink(program, retprobe, u.realPath(), u.fileOffset(), u.probeId());
  }
}
