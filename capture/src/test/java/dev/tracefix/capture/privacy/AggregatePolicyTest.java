package dev.tracefix.capture.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SyscallStat;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.policy.EventSchema;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.policy.PolicyParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** syscall_stats rows pass the policy as syscall events with the same identity columns would. */
class AggregatePolicyTest {
  @TempDir Path keys;

  private static final class Rows implements SafeEventSink {
    final List<SyscallStat> rows = new ArrayList<>();

    @Override
    public void onProcess(SafeProcess process) {}

    @Override
    public void onEvents(List<SafeEvent> batch) {}

    @Override
    public void onSyscallStats(List<SyscallStat> batch) {
      rows.addAll(batch);
    }
  }

  private static SyscallStat row(String token, String peer) {
    return new SyscallStat(
        1, 2, token, "connect", 111, peer, 10, 5000, 0, new long[] {0, 0, 3, 7}, "k_1");
  }

  private List<SyscallStat> guarded(String policy, List<SyscallStat> in) {
    return guarded(PolicyParser.parse("p.yaml", policy, EventSchema.current()), in);
  }

  private List<SyscallStat> guarded(Policy policy, List<SyscallStat> in) {
    PrivacyEngine engine = new PrivacyEngine(policy, KeyStore.current(keys));
    Rows out = new Rows();
    engine.guard(out).onSyscallStats(in);
    return out.rows;
  }

  @Test
  void theDefaultPolicyKeepsAKeyedRowWhole() {
    SyscallStat in = row("p_0123456789abcdef", "a_fedcba9876543210");
    List<SyscallStat> out = guarded(PolicyLoader.loadOrDefault(null), List.of(in));
    assertEquals(List.of(in), out);
  }

  @Test
  void aFieldThePolicyDropsForSyscallEventsIsDroppedAndUnkeyedRowsNeverPass() {
    String strict =
        """
        policy: strict
        events:
          "*":
            process_token: keep
            syscall: keep
            errno: keep
        """;
    List<SyscallStat> out =
        guarded(
            strict,
            List.of(
                row("p_0123456789abcdef", "a_fedcba9876543210"),
                row("4242", null),
                row("p_0123456789abcdef", "10.0.0.7:443")));
    assertEquals(1, out.size(), out::toString);
    assertNull(out.getFirst().peerHash(), "the policy drops peer_hash");
    assertEquals(10, out.getFirst().calls());
    assertEquals(111, out.getFirst().errno());
  }
}
