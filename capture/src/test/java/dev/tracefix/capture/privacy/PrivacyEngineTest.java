package dev.tracefix.capture.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.policy.EventSchema;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.policy.PolicyParser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyEngineTest {
  private static final String POLICY =
      """
      policy: strict
      events:
        "*":
          time_ns: keep
          duration_ns: bucket
          bytes: bucket
          errno:
            action: keep
            when: 'event.errno > 0 && event.type == "sendto"'
            else: drop
          peer_hash:
            action: keep
            when: 'event.type == "tcp_retransmit"'
        process:
          comm: hmac
          cgroup: truncate(20)
          exe_hash: hash
      """;

  @TempDir Path keys;

  private PrivacyEngine engine() {
    Policy p = PolicyParser.parse("strict.yaml", POLICY, EventSchema.current());
    return new PrivacyEngine(p, KeyStore.current(keys));
  }

  @Test
  void eachActionIsAppliedAndUnnamedFieldsAreDropped() {
    PrivacyEngine engine = engine();
    SafeEvent in =
        SafeEvent.builder(42, EventType.SENDTO, "p_0123456789abcdef", "k_000000000000")
            .durationNs(1234)
            .bytes(1000)
            .peerHash("a_fedcba9876543210")
            .build();

    SafeEvent out = engine.redact(in);

    assertEquals(42, out.timeNs());
    assertEquals(EventType.SENDTO, out.type());
    assertNull(out.processToken(), "not named by the policy: dropped");
    assertEquals(1000, out.durationNs(), "1-2-5 bucket of 1234 ns");
    assertEquals(1024, out.bytes(), "next power of two");
    assertEquals(0, out.errno());
    assertNull(out.peerHash(), "kept only for tcp_retransmit");
    assertEquals(engine.keyId(), out.keyId(), "every safe event carries the engine's key id");
  }

  @Test
  void conditionsReadTheEventTypeAndOtherFields() {
    PrivacyEngine engine = engine();
    SafeEvent failed = engine.redact(failedWrite(EventType.SENDTO));
    SafeEvent retransmit =
        engine.redact(
            SafeEvent.builder(1, EventType.TCP_RETRANSMIT, "p", "k").peerHash("a_1").build());
    SafeEvent socketWrite = engine.redact(failedWrite(EventType.SOCKET_WRITE));

    assertEquals(9, failed.errno());
    assertEquals(0, socketWrite.errno(), "errno kept only for sendto");
    assertEquals("a_1", retransmit.peerHash());
    assertNull(socketWrite.peerHash());
  }

  /** A write that failed with errno 9 after 1 ns, to peer {@code a_1}. */
  private static SafeEvent failedWrite(EventType type) {
    return SafeEvent.builder(1, type, "p", "k").durationNs(1).errno(9).peerHash("a_1").build();
  }

  @Test
  void processTextIsKeyedHashedAndTruncated() {
    PrivacyEngine engine = engine();
    SafeProcess out =
        engine.redact(
            new SafeProcess(
                "p_0123456789abcdef",
                "alice-tool",
                "3f9a1c",
                "/user.slice/home/alice/very/long/path",
                "/usr/bin/x",
                "k"));

    assertTrue(out.comm().matches("h_[0-9a-f]{16}"), out.comm());
    assertEquals(
        engine.redact(new SafeProcess(null, "alice-tool", null, null, null, null)).comm(),
        out.comm(),
        "same value, same key: same token");
    assertEquals("/user.slice/home/<U", out.cgroup().substring(0, 19));
    assertFalse(out.cgroup().contains("alice"));
    assertTrue(out.exeHash().matches("s_[0-9a-f]{16}"), out.exeHash());
    assertNull(out.token());
    assertNull(out.buildId());
  }

  @Test
  void plainEventsDropUnknownFieldsAndUnknownTypes() {
    PrivacyEngine engine = engine();
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("time_ns", 5L);
    in.put("payload", "GET /private HTTP/1.1");
    in.put("dport", 443);

    assertEquals(Map.of("time_ns", 5L, "key_id", engine.keyId()), engine.redact("sendto", in));
    assertEquals(Map.of("key_id", engine.keyId()), engine.redact("file_open", in));
  }

  @Test
  void theAttestationCountsEveryValueOfFixedAndConditionalDecisionsExactly() {
    PrivacyEngine engine = engine();
    for (int i = 0; i < 7; i++) {
      // errno is kept only for failed sendto calls: 3 of the 7 take the condition's keep branch.
      engine.redact(
          dev.tracefix.capture.SafeEvent.builder(i, dev.tracefix.capture.EventType.SENDTO, "p", "k")
              .errno(i < 3 ? 104 : 0)
              .build());
    }
    Map<String, Object> plain = new LinkedHashMap<>();
    plain.put("time_ns", 5L);
    engine.redact("sendto", plain);
    Map<String, Long> counts = engine.attestation().fieldActions();

    assertEquals(8L, counts.get("sendto.time_ns:keep"), "7 records and 1 plain event");
    assertEquals(7L, counts.get("sendto.duration_ns:bucket"));
    assertEquals(3L, counts.get("sendto.errno:keep"));
    assertEquals(4L, counts.get("sendto.errno:drop"));
    assertEquals(7L, counts.get("sendto.process_token:drop"), "unnamed fields are dropped");
  }

  @Test
  void theAttestationNamesPolicyKeyAndCounts() {
    PrivacyEngine engine = engine();
    engine.redact(new SafeProcess("p", "bob@example.com", null, "/home/bob", null, "k"));
    Attestation a = engine.attestation();

    assertEquals("strict", a.policyName());
    assertEquals(engine.policy().hash(), a.policyHash());
    assertEquals(java.util.List.of(engine.keyId()), a.keyIds());
    assertEquals(1L, a.fieldActions().get("process.comm:hmac"));
    assertEquals(1L, a.recognizerHits().get("USER"));
    assertTrue(a.noPayloadBytesCaptured());
    assertNotEquals(0, a.fieldActions().size());
  }
}
