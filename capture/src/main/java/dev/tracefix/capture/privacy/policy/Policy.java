package dev.tracefix.capture.privacy.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded privacy policy: per event type, per field, a {@link FieldRule}. Rules under {@code "*"}
 * apply to every known type that does not name the field itself. A field no rule names is dropped,
 * and so is every field of a type the schema does not know.
 *
 * @param name the policy's own name
 * @param source where it was read from, for messages
 * @param hash {@code sha256:} + hex of the policy file's bytes; recorded with every capture
 * @param retention per table, how long the event store keeps rows; a table not named keeps them
 */
public record Policy(
    String name,
    String source,
    String hash,
    Map<String, Map<String, FieldRule>> rules,
    Set<String> knownTypes,
    List<RetentionRule> retention) {
  public static final String ANY_TYPE = "*";

  public Policy {
    rules = Map.copyOf(rules);
    knownTypes = Set.copyOf(knownTypes);
    retention = List.copyOf(retention);
  }

  /** The rule for a field; {@code "*"} covers known event types only, never unknown ones. */
  public Optional<FieldRule> rule(String type, String field) {
    FieldRule own = rules.getOrDefault(type, Map.of()).get(field);
    if (own != null) {
      return Optional.of(own);
    }
    if (!knownTypes.contains(type)) {
      return Optional.empty();
    }
    return Optional.ofNullable(rules.getOrDefault(ANY_TYPE, Map.of()).get(field));
  }
}
