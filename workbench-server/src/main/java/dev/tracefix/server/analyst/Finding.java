package dev.tracefix.server.analyst;

import dev.tracefix.server.run.CellOutput;
import java.util.Set;

/**
 * A hypothesis with its strength in [0, 1] (how far the data departs from the unremarkable) and
 * the question topics it answers, used for ranking.
 */
record Finding(CellOutput.Hypothesis hypothesis, double strength, Set<Topic> topics) {

  enum Topic {
    ERRORS,
    BURSTS,
    LATENCY,
    NETWORK,
    ACTIVITY
  }
}
