package dev.tracefix.server.analyst;

import dev.tracefix.server.message.CellOutput;
import java.util.Set;

/**
 * A hypothesis with its strength in [0, 1] (how far the data departs from the unremarkable), the
 * question topics it answers (for ranking) and the detector that found it (for tests and for
 * telling the model where a hypothesis came from).
 */
record Finding(
    String detector, CellOutput.Hypothesis hypothesis, double strength, Set<Topic> topics) {

  enum Topic {
    ERRORS,
    BURSTS,
    LATENCY,
    NETWORK,
    ACTIVITY,
    RESOURCES,
    CHANGE,
    /** What was answered or stored, rather than whether a call worked. */
    DATA
  }
}
