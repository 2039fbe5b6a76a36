package dev.tracefix.sink;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link EventStore#open(Path, org.apache.arrow.memory.BufferAllocator, StoreOptions)} runs a
 * store.
 *
 * @param spoolDir where batches wait for DuckDB; null for {@code <db file>.spool}
 * @param retention enforced when the store opens and every {@code sweepInterval} while it is open
 * @param clock what "now" is for retention (tests pass a fixed or stepping clock)
 * @param sweepInterval how often an open store enforces its retention
 */
public record StoreOptions(
    Path spoolDir, Retention retention, Clock clock, Duration sweepInterval) {
  public static final StoreOptions DEFAULT =
      new StoreOptions(null, Retention.DEFAULT, Clock.systemUTC(), Duration.ofDays(1));

  public StoreOptions {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(clock, "clock");
    if (sweepInterval.isZero() || sweepInterval.isNegative()) {
      throw new SinkException(
          SinkException.Kind.USER, "retention sweep interval must be positive: " + sweepInterval);
    }
  }

  public StoreOptions withSpoolDir(Path dir) {
    return new StoreOptions(dir, retention, clock, sweepInterval);
  }

  public StoreOptions withRetention(Retention next) {
    return new StoreOptions(spoolDir, next, clock, sweepInterval);
  }

  public StoreOptions withClock(Clock next) {
    return new StoreOptions(spoolDir, retention, next, sweepInterval);
  }

  public StoreOptions withSweepInterval(Duration next) {
    return new StoreOptions(spoolDir, retention, clock, next);
  }
}
