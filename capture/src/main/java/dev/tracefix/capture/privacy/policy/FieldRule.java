package dev.tracefix.capture.privacy.policy;

import java.util.Optional;

/**
 * The policy's decision for one field of one event type: {@code action} when {@code when} holds (or
 * always, without a condition), else {@code otherwise}.
 *
 * @param line 1-based line of the rule in the policy file, for messages
 */
public record FieldRule(Action action, Optional<Condition> when, Action otherwise, int line) {
  public String describe() {
    return when.map(
            c ->
                Action.describe(action)
                    + " when "
                    + c.source()
                    + ", else "
                    + Action.describe(otherwise))
        .orElse(Action.describe(action));
  }
}
