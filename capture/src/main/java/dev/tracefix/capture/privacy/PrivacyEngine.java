package dev.tracefix.capture.privacy;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.privacy.policy.Action;
import dev.tracefix.capture.privacy.policy.EventSchema;
import dev.tracefix.capture.privacy.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Applies a {@link Policy} under one key epoch: per event type and field keep, hmac, hash, bucket,
 * truncate or drop; every kept text passes the recognizers; any field the policy does not name is
 * dropped. Works on {@link SafeEvent}/{@link SafeProcess} (the capture path, see {@link #guard})
 * and on plain field maps (policy tests, other callers). Thread-safe.
 */
public final class PrivacyEngine {
  private final Policy policy;
  private final Tokenizer tokenizer;
  private final TextRedactor text;
  private final Map<String, TypePlan> plans = new ConcurrentHashMap<>();
  private final RecordShape<SafeEvent> eventShape = new RecordShape<>(SafeEvent.class);
  private final RecordShape<SafeProcess> processShape = new RecordShape<>(SafeProcess.class);
  private final RecordShape<SafeJvmEvent> jvmShape = new RecordShape<>(SafeJvmEvent.class);
  private final TypePlan[] eventPlans;
  private final TypePlan processPlan;

  /** Per event type ordinal, its plan compiled at load, or null where the reference path runs. */
  private final CompiledRedactor[] eventRedactors;

  private final CompiledRedactor processRedactor;
  private final TypePlan[] jvmPlans;
  private final LongAdder unknownDropped = new LongAdder();

  public PrivacyEngine(Policy policy, HmacKey key) {
    this(policy, new Tokenizer(key));
  }

  public PrivacyEngine(Policy policy, Tokenizer tokenizer) {
    this.policy = policy;
    this.tokenizer = tokenizer;
    this.text = TextRedactor.withTokenizer(tokenizer);
    EventType[] types = EventType.values();
    eventPlans = new TypePlan[types.length];
    for (EventType t : types) {
      eventPlans[t.ordinal()] = plan(t.columnValue(), List.of(eventShape.names));
    }
    processPlan = plan(EventSchema.PROCESS, List.of(processShape.names));
    eventRedactors = new CompiledRedactor[types.length];
    // Most types share the policy's "*" rules: one compiled form per distinct list of actions (its
    // field ops hold no per-type state the compiled path uses; the plan counts the records).
    Map<List<Action>, CompiledRedactor> byActions = new HashMap<>();
    for (EventType t : types) {
      TypePlan plan = eventPlans[t.ordinal()];
      Optional<List<Action>> actions = plan.fixedActions(eventShape.names);
      CompiledRedactor shared = actions.map(byActions::get).orElse(null);
      if (shared == null) {
        shared = CompiledRedactor.compile(SafeEvent.class, plan, tokenizer.keyId()).orElse(null);
        if (shared != null && actions.isPresent()) {
          byActions.put(actions.get(), shared);
        }
      }
      eventRedactors[t.ordinal()] = shared;
    }
    processRedactor =
        CompiledRedactor.compile(SafeProcess.class, processPlan, tokenizer.keyId()).orElse(null);
    JvmEventType[] jvmTypes = JvmEventType.values();
    jvmPlans = new TypePlan[jvmTypes.length];
    for (JvmEventType t : jvmTypes) {
      jvmPlans[t.ordinal()] = plan(t.columnValue(), List.of(jvmShape.names));
    }
  }

  /** The default policy (checked against its own tests) under {@code key}. */
  public static PrivacyEngine withDefaultPolicy(HmacKey key) {
    return new PrivacyEngine(PolicyLoader.loadDefault(), key);
  }

  public Policy policy() {
    return policy;
  }

  public String keyId() {
    return tokenizer.keyId();
  }

  /** The recognizers under this engine's key, for free text outside events. */
  public TextRedactor text() {
    return text;
  }

  /** A sink that redacts everything by this policy before {@code downstream} sees it. */
  public SafeEventSink guard(SafeEventSink downstream) {
    return new PolicySink(this, downstream);
  }

  public SafeEvent redact(SafeEvent event) {
    int type = event.type().ordinal();
    CompiledRedactor compiled = eventRedactors[type];
    if (compiled == null) {
      return applyRecord(eventPlans[type], eventShape, event);
    }
    eventPlans[type].records.increment();
    return compiled.apply(event);
  }

  public SafeProcess redact(SafeProcess process) {
    if (processRedactor == null) {
      return applyRecord(processPlan, processShape, process);
    }
    processPlan.records.increment();
    return processRedactor.apply(process);
  }

  /**
   * {@link #redact(SafeEvent)} by the reference path: field values read into an array, each passed
   * through its op, the record rebuilt. The compiled path must give the same record.
   */
  SafeEvent redactByReference(SafeEvent event) {
    return applyRecord(eventPlans[event.type().ordinal()], eventShape, event);
  }

  /** {@link #redactByReference(SafeEvent)} for a process. */
  SafeProcess redactByReference(SafeProcess process) {
    return applyRecord(processPlan, processShape, process);
  }

  /** Whether events of {@code type} take the compiled path under this policy. */
  boolean compiled(EventType type) {
    return eventRedactors[type.ordinal()] != null;
  }

  /** Whether processes take the compiled path under this policy. */
  boolean processCompiled() {
    return processRedactor != null;
  }

  /** A JVM flight-recorder event, by the policy's rules for its recorder type name. */
  public SafeJvmEvent redact(SafeJvmEvent event) {
    return applyRecord(jvmPlans[event.type().ordinal()], jvmShape, event);
  }

  /**
   * Redacts a plain event of {@code type}: the result holds only the fields the policy keeps (in
   * their safe form) plus {@code key_id}. Unknown types and fields are dropped.
   */
  public Map<String, Object> redact(String type, Map<String, ?> fields) {
    TypePlan plan = plans.computeIfAbsent(type, t -> plan(t, new ArrayList<>(fields.keySet())));
    Map<String, Object> event = eventMap(type, fields);
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : fields.entrySet()) {
      TypePlan.Decision d = plan.decision(e.getKey());
      if (d == null) {
        d = plan(type, List.of(e.getKey())).decision(e.getKey());
      }
      Object safe = d.choose(event).apply(e.getValue());
      if (safe != null) {
        out.put(e.getKey(), safe);
      }
    }
    out.put("key_id", tokenizer.keyId());
    return out;
  }

  private <R extends Record> R applyRecord(TypePlan plan, RecordShape<R> shape, R record) {
    Object[] values = shape.read(record);
    Map<String, Object> event = null;
    if (plan.needsEventMap) {
      Map<String, Object> raw = new HashMap<>();
      for (int i = 0; i < values.length; i++) {
        raw.put(shape.names[i], values[i]);
      }
      event = eventMap(plan.type, raw);
    }
    TypePlan.Decision[] decisions = plan.inOrder(shape.names);
    for (int i = 0; i < values.length; i++) {
      String name = shape.names[i];
      if (name.equals("type")) {
        continue;
      }
      if (name.equals("key_id")) {
        values[i] = tokenizer.keyId();
        continue;
      }
      TypePlan.Decision d = decisions[i];
      values[i] =
          d.dynamic() == null
              ? d.fixed().applyUncounted(values[i])
              : d.choose(event).apply(values[i]);
    }
    plan.records.increment();
    return shape.build(values);
  }

  private TypePlan plan(String type, List<String> fields) {
    List<String> policed = new ArrayList<>();
    for (String f : fields) {
      if (!f.equals("type") && !f.equals("key_id")) {
        policed.add(f);
      }
    }
    return new TypePlan(type, policed, policy, tokenizer, text);
  }

  private static Map<String, Object> eventMap(String type, Map<String, ?> fields) {
    Map<String, Object> event = new HashMap<>();
    fields.forEach(
        (k, v) -> {
          if (v != null) {
            event.put(
                k,
                v instanceof Integer i ? (long) i : v instanceof EventType t ? t.columnValue() : v);
          }
        });
    event.put("type", type);
    return event;
  }

  /** What this engine did so far: the privacy attestation of a capture or export. */
  public Attestation attestation() {
    Map<String, Long> fields = new TreeMap<>();
    List<TypePlan> all = new ArrayList<>(List.of(eventPlans));
    all.add(processPlan);
    all.addAll(List.of(jvmPlans));
    all.addAll(plans.values());
    for (TypePlan p : all) {
      for (TypePlan.Decision d : p.decisions.values()) {
        for (FieldOp op : new FieldOp[] {d.fixed(), d.whenTrue(), d.whenFalse()}) {
          long count = op == null ? 0 : p.appliedCount(op);
          if (count > 0) {
            fields.merge(
                p.type
                    + "."
                    + op.field
                    + ":"
                    + dev.tracefix.capture.privacy.policy.Action.describe(op.action),
                count,
                Long::sum);
          }
        }
      }
    }
    return new Attestation(
        policy.name(), policy.hash(), List.of(tokenizer.keyId()), fields, text.counts(), true);
  }
}
