package dev.tracefix.fixloop.bisect;

import java.util.List;

/**
 * How a bisect ended: the first bad commit, or only skipped commits left.
 *
 * <p>{@link #steps()} counts what {@code git bisect run} runs its command for (probes and merge
 * bases), so the two can be compared; the checks of the given ends are in {@link #tested()} too but
 * not counted.
 */
public sealed interface BisectResult {
  List<BisectStep> tested();

  /** Commits whose repeated runs did not all agree (the flaky mode's report). */
  default List<BisectStep> disagreements() {
    return tested().stream().filter(s -> s.judgement().disagreed()).toList();
  }

  default int steps() {
    return (int) tested().stream().filter(s -> s.role().countsAsStep()).count();
  }

  record Found(String culprit, String subject, List<BisectStep> tested) implements BisectResult {}

  /** The first bad commit is one of {@code candidates} (skipped ones, and the last bad one). */
  record OnlySkipped(List<String> candidates, List<BisectStep> tested) implements BisectResult {}
}
