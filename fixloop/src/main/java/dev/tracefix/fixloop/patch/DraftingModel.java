package dev.tracefix.fixloop.patch;

import java.util.Map;
import java.util.Optional;

/**
 * The hook for a language model that drafts a patch: the first strategy tried when one is installed
 * ({@link ModelStrategy}). No implementation lives in this module.
 *
 * <p>An implementation must send only what passed the privacy gateway of the hypotheses work
 * (capture's recognizers over every outbound prompt, each prompt logged); the request below holds
 * repository text and repro output, which can carry secrets and personal data. Whatever it returns
 * faces the same guardrails as every other candidate.
 */
public interface DraftingModel {
  /** Name and model, for the report ("anthropic claude-x"). */
  String name();

  /** A proposed fix, or empty when the model has none. */
  Optional<Draft> draft(Request request);

  /**
   * What the model may see.
   *
   * @param culpritDiff the culprit's unified diff
   * @param reproOutput the end of the failing repro's output at the bad commit
   * @param minimizedInput the minimized input, as CSV
   * @param filesAtBad the culprit's files as they are at the bad commit
   */
  record Request(
      String incident,
      String culprit,
      String culpritSubject,
      String culpritDiff,
      String reproOutput,
      String minimizedInput,
      Map<String, String> filesAtBad) {}

  /** New contents for some of {@code filesAtBad}, and a one-line summary of the change. */
  record Draft(String summary, Map<String, String> files) {}
}
