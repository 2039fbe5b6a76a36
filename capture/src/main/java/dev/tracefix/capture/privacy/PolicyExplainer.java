package dev.tracefix.capture.privacy;

import dev.tracefix.capture.privacy.policy.EventSchema;
import dev.tracefix.capture.privacy.policy.FieldKind;
import dev.tracefix.capture.privacy.policy.FieldRule;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.policy.RetentionRule;
import dev.tracefix.capture.privacy.recognize.Recognizer;
import dev.tracefix.capture.privacy.recognize.Recognizers;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Says, per event type and field, what a policy lets out, in plain words. */
public final class PolicyExplainer {
  private PolicyExplainer() {}

  public static String explain(Policy policy) {
    StringBuilder out = new StringBuilder();
    out.append("policy ").append(policy.name()).append(" (").append(policy.hash()).append(")\n");
    out.append("source ").append(policy.source()).append("\n");
    for (Map.Entry<String, Map<String, FieldKind>> type :
        EventSchema.current().types().entrySet()) {
      out.append('\n').append(type.getKey()).append(":\n");
      out.append(String.format("  %-14s kept (set by tracefix)%n", "type/key_id"));
      for (Map.Entry<String, FieldKind> field : type.getValue().entrySet()) {
        Optional<FieldRule> rule = policy.rule(type.getKey(), field.getKey());
        String what =
            rule.map(r -> r.describe() + "  (line " + r.line() + ")")
                .orElse("drop (not named by the policy)");
        String text =
            field.getValue() == FieldKind.TEXT && rule.isPresent()
                ? "; kept text passes the recognizers"
                : "";
        out.append(String.format("  %-14s %s%s%n", field.getKey(), what, text));
      }
    }
    out.append("\nany other event type or field: dropped\n");
    out.append("\nretention (enforced when a store opens and daily while it is open):\n");
    for (RetentionRule rule : policy.retention()) {
      String why =
          rule.line() == 0
              ? "(default: the policy has no retention section)"
              : "(line " + rule.line() + ")";
      String what =
          rule.maxAge().isEmpty() ? "kept until forgotten" : "deleted after " + rule.age();
      out.append(String.format("  %-14s %s  %s%n", rule.table(), what, why));
    }
    for (String table : RetentionRule.TABLES.stream().sorted().toList()) {
      if (policy.retention().stream().noneMatch(r -> r.table().equals(table))) {
        out.append(String.format("  %-14s kept until forgotten (not named)%n", table));
      }
    }
    Set<String> types = new LinkedHashSet<>();
    for (Recognizer r : Recognizers.defaults()) {
      types.add(r.type());
    }
    out.append("recognizers (text becomes <TYPE:token>): ")
        .append(String.join(", ", types))
        .append('\n');
    return out.toString();
  }
}
