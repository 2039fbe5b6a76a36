package dev.tracefix.capture.privacy;

import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.privacy.policy.Action;
import dev.tracefix.capture.privacy.policy.Condition;
import dev.tracefix.capture.privacy.policy.FieldRule;
import dev.tracefix.capture.privacy.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The policy for one event type, compiled: per field the op to apply, with conditions that read
 * only {@code event.type} already decided. Conditions that read other fields are evaluated per
 * event against the raw values.
 */
final class TypePlan {
  /** A field's decision: fixed ({@code dynamic} null) or chosen per event by a CEL condition. */
  record Decision(FieldOp fixed, Condition dynamic, FieldOp whenTrue, FieldOp whenFalse) {
    FieldOp choose(Map<String, Object> event) {
      return dynamic == null ? fixed : dynamic.test(event) ? whenTrue : whenFalse;
    }
  }

  final String type;
  final Map<String, Decision> decisions = new HashMap<>();

  /**
   * Records redacted whole by this plan: each of its fixed decisions applied once per record, so
   * they are counted here once rather than per field (see {@link #appliedCount}).
   */
  final LongAdder records = new LongAdder();

  final boolean needsEventMap;

  TypePlan(
      String type, Iterable<String> fields, Policy policy, Tokenizer tokens, TextRedactor text) {
    this.type = type;
    boolean dynamicSeen = false;
    for (String field : fields) {
      Optional<FieldRule> rule = policy.rule(type, field);
      Decision d;
      if (rule.isEmpty()) {
        d = new Decision(new FieldOp(field, Action.DROP, tokens, text), null, null, null);
      } else if (rule.get().when().isEmpty()) {
        d = new Decision(new FieldOp(field, rule.get().action(), tokens, text), null, null, null);
      } else {
        Condition c = rule.get().when().get();
        FieldOp yes = new FieldOp(field, rule.get().action(), tokens, text);
        FieldOp no = new FieldOp(field, rule.get().otherwise(), tokens, text);
        if (c.typeOnly()) {
          d = new Decision(c.test(Map.of("type", type)) ? yes : no, null, null, null);
        } else {
          d = new Decision(null, c, yes, no);
          dynamicSeen = true;
        }
      }
      decisions.put(field, d);
    }
    this.needsEventMap = dynamicSeen;
  }

  /** How many values {@code op} (one of this plan's) was applied to. */
  long appliedCount(FieldOp op) {
    long count = op.applied.sum();
    Decision d = decisions.get(op.field);
    return d != null && d.fixed() == op ? count + records.sum() : count;
  }

  Decision decision(String field) {
    return decisions.get(field);
  }

  /**
   * The fixed action of each of {@code names} (type and key id: null), or empty when a field's
   * action is chosen per event: plans with equal lists redact alike, and share one compiled form.
   */
  Optional<List<Action>> fixedActions(String[] names) {
    List<Action> actions = new ArrayList<>(names.length);
    for (String name : names) {
      Decision d = decisions.get(name);
      if (d == null) {
        actions.add(null);
      } else if (d.dynamic() != null) {
        return Optional.empty();
      } else {
        actions.add(d.fixed().action);
      }
    }
    return Optional.of(actions);
  }

  /** The decisions for a record's fields in component order, found once per record shape. */
  private record Ordered(String[] names, Decision[] decisions) {}

  private volatile Ordered ordered;

  /**
   * {@link #decision} for each of {@code names} (a record shape's component names, the same array
   * every call), by index: the hot path redacts every event, and a map lookup per field per event
   * was a good part of its cost.
   */
  Decision[] inOrder(String[] names) {
    Ordered current = ordered;
    if (current == null || current.names() != names) {
      Decision[] byIndex = new Decision[names.length];
      for (int i = 0; i < names.length; i++) {
        byIndex[i] = decisions.get(names[i]);
      }
      current = new Ordered(names, byIndex);
      ordered = current;
    }
    return current.decisions();
  }
}
