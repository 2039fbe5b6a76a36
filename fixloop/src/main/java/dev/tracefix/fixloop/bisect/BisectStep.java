package dev.tracefix.fixloop.bisect;

import dev.tracefix.fixloop.repro.Judgement;

/**
 * One commit the bisect ran the repro on.
 *
 * @param role why it was tested: a bisection probe (what git counts as a step), a merge base git
 *     would test too (also a step), or the check of a given end (not a step)
 */
public record BisectStep(String commit, String subject, Role role, Judgement judgement) {
  public enum Role {
    PROBE,
    MERGE_BASE,
    END_CHECK;

    public boolean countsAsStep() {
      return this != END_CHECK;
    }
  }
}
