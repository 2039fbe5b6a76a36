package dev.tracefix.fixloop.minimize;

import dev.tracefix.fixloop.Cancellation;
import java.util.List;

/** Judges a candidate input; must be safe to call from several threads if used in parallel. */
@FunctionalInterface
public interface Oracle<T> {
  Outcome test(List<T> candidate);

  /**
   * Like {@link #test(List)}, but stoppable: a parallel ddmin cancels a speculative call that is no
   * longer needed. An oracle that runs a command should kill it on cancel and throw.
   */
  default Outcome test(List<T> candidate, Cancellation cancellation) {
    return test(candidate);
  }
}
