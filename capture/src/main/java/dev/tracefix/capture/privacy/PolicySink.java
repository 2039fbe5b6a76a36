package dev.tracefix.capture.privacy;

import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.TriggerFiring;
import java.util.ArrayList;
import java.util.List;

/** The last step before anything leaves capture: every event and process passes the policy. */
final class PolicySink implements SafeEventSink {
  private final PrivacyEngine engine;
  private final SafeEventSink downstream;

  PolicySink(PrivacyEngine engine, SafeEventSink downstream) {
    this.engine = engine;
    this.downstream = downstream;
  }

  @Override
  public void onProcess(SafeProcess process) {
    downstream.onProcess(engine.redact(process));
  }

  /**
   * Module and symbol names pass the recognizers, and a module's file name the identity rule too:
   * a binary's name may carry a user's name.
   */
  @Override
  public void onStack(SafeStack stack) {
    downstream.onStack(
        new SafeStack(
            stack.stackId(),
            stack.frames().stream().map(engine.text()::redactFrame).toList(),
            stack.kernelFrames().stream().map(engine.text()::redactFrame).toList(),
            stack.buildId()));
  }

  @Override
  public void onEvents(List<SafeEvent> batch) {
    List<SafeEvent> safe = new ArrayList<>(batch.size());
    for (SafeEvent e : batch) {
      safe.add(engine.redact(e));
    }
    downstream.onEvents(safe);
  }

  /**
   * Aggregates carry no free text: a process token and a peer hash the pipeline keyed, a syscall
   * name from the x86_64 table, numbers. A row whose token or hash is not keyed under this
   * capture's key would be a leak, so it fails closed (dropped), never passed on.
   */
  @Override
  public void onSyscallStats(List<dev.tracefix.capture.SyscallStat> rows) {
    List<dev.tracefix.capture.SyscallStat> safe = new ArrayList<>(rows.size());
    for (var r : rows) {
      boolean keyed =
          r.processToken() != null
              && r.processToken().startsWith("p_")
              && (r.peerHash() == null || r.peerHash().startsWith("a_"))
              && r.syscall() != null
              && r.syscall().matches("[a-z0-9_]+");
      if (keyed) {
        safe.add(r);
      }
    }
    if (!safe.isEmpty()) {
      downstream.onSyscallStats(safe);
    }
  }

  /** A rule is free text written by a user (it may name a cgroup or a path): scrubbed. */
  @Override
  public void onTriggerFiring(TriggerFiring firing) {
    downstream.onTriggerFiring(
        new TriggerFiring(
            engine.text().redact(firing.rule()),
            firing.firedAtNs(),
            firing.endedAtNs(),
            firing.observedPerSecond(),
            firing.thresholdPerSecond(),
            firing.probes().stream().map(engine.text().identity()::probeSpec).toList()));
  }
}
