package dev.tracefix.server.run;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What every session of a workspace adds to, for {@link WorkspaceStats}. */
final class WorkspaceCounters {
  final AtomicInteger running = new AtomicInteger();
  final AtomicLong cellsRun = new AtomicLong();
  final AtomicLong limitErrors = new AtomicLong();
  final AtomicLong kernelRestarts = new AtomicLong();
}
