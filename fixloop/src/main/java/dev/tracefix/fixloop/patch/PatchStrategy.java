package dev.tracefix.fixloop.patch;

import java.util.List;

/**
 * One way of drafting a fix. Strategies are tried in order ({@link Patcher}); each reports what it
 * proposed or why it proposed nothing, and every candidate then faces the same guardrails.
 */
public interface PatchStrategy {
  /** Short name, e.g. {@code revert-implicated-hunks}; part of the candidate's branch name. */
  String name();

  Proposal propose(PatchContext context);

  /** What a strategy offers: candidates in its order of preference, and notes for the report. */
  record Proposal(List<Candidate> candidates, List<String> notes) {
    public Proposal {
      candidates = List.copyOf(candidates);
      notes = List.copyOf(notes);
    }

    public static Proposal none(String why) {
      return new Proposal(List.of(), List.of(why));
    }
  }
}
