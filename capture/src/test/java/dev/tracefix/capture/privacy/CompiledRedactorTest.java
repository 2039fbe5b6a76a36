package dev.tracefix.capture.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.policy.EventSchema;
import dev.tracefix.capture.privacy.policy.FieldKind;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.policy.PolicyParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The compiled per-type redactors against the reference path, on generated events under the default
 * policy and under generated policies (every action valid for each field's kind, some chosen by a
 * condition on the event type): the same records, field for field, and the same attestation (counts
 * per field action and per recognizer). Two engines under one key, one redacting each way, so
 * neither path's counts hide the other's.
 */
class CompiledRedactorTest {
  private static final HmacKey KEY =
      new HmacKey("k_compiledtest", "a fixed key for this test".getBytes(StandardCharsets.UTF_8));
  private static final EventSchema SCHEMA = EventSchema.current();

  @Property(tries = 20)
  void defaultPolicyCompiledEqualsReference(
      @ForAll("events") List<SafeEvent> events, @ForAll("processes") List<SafeProcess> processes) {
    Policy policy = PolicyLoader.loadDefault();
    PrivacyEngine compiled = assertSameOutput(policy, events, processes);
    for (EventType t : EventType.values()) {
      assertTrue(compiled.compiled(t), "default policy compiles for " + t);
    }
    assertTrue(compiled.processCompiled(), "default policy compiles for processes");
  }

  @Property(tries = 25)
  void generatedPoliciesCompiledEqualsReference(
      @ForAll("policies") String policyText,
      @ForAll("events") List<SafeEvent> events,
      @ForAll("processes") List<SafeProcess> processes) {
    Policy policy = PolicyParser.parse("generated.yaml", policyText, SCHEMA);
    PrivacyEngine engine = assertSameOutput(policy, events, processes);
    // Conditions on the event type only: every type is compiled, so the compiled path is what
    // was compared.
    for (EventType t : EventType.values()) {
      assertTrue(engine.compiled(t), () -> t + " compiled under\n" + policyText);
    }
    assertTrue(engine.processCompiled(), () -> "processes compiled under\n" + policyText);
  }

  @Property(tries = 20)
  void conditionsOnOtherFieldsStayOnTheReferencePath(@ForAll("events") List<SafeEvent> events) {
    Policy policy =
        PolicyParser.parse(
            "dynamic.yaml",
            """
            policy: dynamic
            events:
              "*":
                bytes: {action: keep, when: 'event.errno > 0', else: bucket}
                syscall: keep
            """,
            SCHEMA);
    PrivacyEngine engine = assertSameOutput(policy, events, List.of());
    assertFalse(engine.compiled(EventType.SYSCALL));
  }

  /** Redacts each way and compares; returns the engine that took the compiled path. */
  private static PrivacyEngine assertSameOutput(
      Policy policy, List<SafeEvent> events, List<SafeProcess> processes) {
    PrivacyEngine compiled = new PrivacyEngine(policy, KEY);
    PrivacyEngine reference = new PrivacyEngine(policy, KEY);
    for (SafeEvent e : events) {
      assertEquals(reference.redactByReference(e), compiled.redact(e), () -> "event " + e);
    }
    for (SafeProcess p : processes) {
      assertEquals(reference.redactByReference(p), compiled.redact(p), () -> "process " + p);
    }
    assertEquals(reference.attestation(), compiled.attestation());
    return compiled;
  }

  @Provide
  Arbitrary<List<SafeEvent>> events() {
    return event().list().ofMaxSize(20);
  }

  @Provide
  Arbitrary<List<SafeProcess>> processes() {
    return process().list().ofMaxSize(4);
  }

  private static Arbitrary<SafeEvent> event() {
    Arbitrary<Long> longs =
        Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.longs().between(-3, 5_000_000_000L),
            Arbitraries.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 62, (1L << 62) + 1));
    Arbitrary<Integer> ints =
        Arbitraries.oneOf(
            Arbitraries.integers(),
            Arbitraries.integers().between(-2, 70_000),
            Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE, (1 << 30) + 1));
    Arbitrary<String> text = texts();
    Arbitrary<SafeEvent.Builder> head =
        Combinators.combine(longs, Arbitraries.of(EventType.class), text, text)
            .as(SafeEvent::builder);
    Arbitrary<SafeEvent.Builder> numbers =
        Combinators.combine(head, longs, longs, ints, ints, ints, ints, ints)
            .as(
                (b, d, by, errno, fd, family, protocol, local) ->
                    b.durationNs(d)
                        .bytes(by)
                        .errno(errno)
                        .fd(fd)
                        .family(family)
                        .protocol(protocol)
                        .localPort(local));
    Arbitrary<SafeEvent.Builder> more =
        Combinators.combine(numbers, ints, ints, longs, longs, ints, text, text)
            .as(
                (b, remote, exit, ret, stack, cpu, peer, syscall) ->
                    b.remotePort(remote)
                        .exitStatus(exit)
                        .returnValue(ret)
                        .stackId(stack)
                        .cpu(cpu)
                        .peerHash(peer)
                        .syscall(syscall));
    Arbitrary<SafeEvent.Builder> texts1 =
        Combinators.combine(more, text, text, text, text, text, text, text)
            .as(
                (b, conn, oldState, newState, localHash, symbol, binary, thread) ->
                    b.connectionHash(conn)
                        .tcpOldState(oldState)
                        .tcpNewState(newState)
                        .localHash(localHash)
                        .symbol(symbol)
                        .binaryHash(binary)
                        .threadToken(thread));
    return Combinators.combine(texts1, text, text, text)
        .as(
            (b, wait, child, previous) ->
                b.waitState(wait).childToken(child).previousToken(previous).build());
  }

  private static Arbitrary<SafeProcess> process() {
    Arbitrary<String> text = texts();
    return Combinators.combine(text, text, text, text, text, text, text).as(SafeProcess::new);
  }

  /** Absent, plain, token-like, secret-bearing, path-like and odd text. */
  private static Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.just(null),
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
        Arbitraries.of(
            "p_0123456789abcdef",
            "a_fedcba9876543210",
            "nginx",
            "java",
            "alice.smith@example.com",
            "/home/bob/.ssh/id_rsa",
            "AKIAIOSFODNN7EXAMPLE",
            "password=hunter2",
            "/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope",
            "/user.slice/user-1000.slice/session-3.scope",
            "4111111111111111",
            "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
            "x".repeat(300),
            "\ud83d\ude00 emoji\ud83d\ude00",
            "ESTABLISHED"));
  }

  /** A policy naming a random subset of fields with actions valid for their kind. */
  @Provide
  Arbitrary<String> policies() {
    Map<String, FieldKind> eventFields = SCHEMA.types().get(EventType.SYSCALL.columnValue());
    Map<String, FieldKind> processFields = SCHEMA.types().get(EventSchema.PROCESS);
    Arbitrary<List<String>> star = fieldRules(eventFields);
    Arbitrary<List<String>> syscall = fieldRules(eventFields);
    Arbitrary<List<String>> process = fieldRules(processFields);
    return Combinators.combine(star, syscall, process)
        .as(
            (s, sys, proc) -> {
              StringBuilder y = new StringBuilder("policy: generated\nevents:\n");
              section(y, "\"*\"", s.isEmpty() ? List.of("time_ns: keep") : s);
              section(y, EventType.SYSCALL.columnValue(), sys);
              section(y, EventSchema.PROCESS, proc);
              return y.toString();
            });
  }

  private static void section(StringBuilder y, String name, List<String> rules) {
    if (rules.isEmpty()) {
      return;
    }
    y.append("  ").append(name).append(":\n");
    rules.forEach(r -> y.append("    ").append(r).append('\n'));
  }

  private static Arbitrary<List<String>> fieldRules(Map<String, FieldKind> fields) {
    List<Arbitrary<String>> each = new ArrayList<>();
    for (var f : fields.entrySet()) {
      Arbitrary<String> action = action(f.getValue());
      Arbitrary<String> rule =
          Arbitraries.oneOf(
              action.map(a -> f.getKey() + ": " + a),
              Combinators.combine(action, action, Arbitraries.of(EventType.class))
                  .as(
                      (yes, no, t) ->
                          f.getKey()
                              + ": {action: "
                              + yes
                              + ", when: 'event.type == \""
                              + t.columnValue()
                              + "\"', else: "
                              + no
                              + "}"));
      each.add(rule.injectNull(0.25));
    }
    return Combinators.combine(each).as(rules -> rules.stream().filter(r -> r != null).toList());
  }

  private static Arbitrary<String> action(FieldKind kind) {
    return kind == FieldKind.NUMBER
        ? Arbitraries.of("keep", "bucket", "drop")
        : Arbitraries.oneOf(
            Arbitraries.of("keep", "hmac", "hash", "name", "cgroup_path", "drop"),
            Arbitraries.integers().between(1, 40).map(n -> "truncate(" + n + ")"));
  }
}
