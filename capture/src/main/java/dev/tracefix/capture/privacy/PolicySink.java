package dev.tracefix.capture.privacy;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.SyscallStat;
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
   * Module and symbol names pass the recognizers, and a module's file name the identity rule too: a
   * binary's name may carry a user's name.
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
   * An aggregate's identity columns (process token, syscall, errno, peer hash) pass the policy as a
   * {@code syscall} event carrying them would: a field the policy drops or rewrites for syscall
   * events is dropped or rewritten here too, and a row whose process token the policy drops is not
   * delivered. Its counts and sums are aggregates of the latencies and sizes, not one call's. A
   * token or hash that is not keyed ({@code p_}, {@code a_}) fails closed: the row is dropped.
   */
  @Override
  public void onSyscallStats(List<SyscallStat> rows) {
    List<SyscallStat> safe = new ArrayList<>(rows.size());
    for (SyscallStat r : rows) {
      if (r.processToken() == null
          || !r.processToken().startsWith("p_")
          || (r.peerHash() != null && !r.peerHash().startsWith("a_"))) {
        continue;
      }
      SafeEvent asEvent =
          SafeEvent.builder(r.intervalEndNs(), EventType.SYSCALL, r.processToken(), r.keyId())
              .syscall(r.syscall())
              .errno(r.errno())
              .peerHash(r.peerHash())
              .build();
      SafeEvent kept = engine.redact(asEvent);
      if (kept.processToken() == null) {
        continue;
      }
      safe.add(
          new SyscallStat(
              r.intervalStartNs(),
              r.intervalEndNs(),
              kept.processToken(),
              kept.syscall(),
              kept.errno(),
              kept.peerHash(),
              r.calls(),
              r.totalNs(),
              r.bytes(),
              r.latencyBuckets(),
              r.keyId()));
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
