package dev.tracefix.sink;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link EventStore#open(Path, org.apache.arrow.memory.BufferAllocator, StoreOptions)} runs a
 * store.
 *
 * @param spoolDir where batches wait for DuckDB; null for {@code <db file>.spool}
 * @param retention enforced when the store opens and every {@code sweepInterval} while it is open
 * @param clock what "now" is for retention (tests pass a fixed or stepping clock)
 * @param sweepInterval how often an open store enforces its retention
 * @param onSweep told the rows each retention sweep deleted per table (empty when none), at open
 *     and on every scheduled sweep, so a caller can say what retention did
 */
public record StoreOptions(
    Path spoolDir,
    Retention retention,
    Clock clock,
    Duration sweepInterval,
    Consumer<Map<String, Long>> onSweep) {
  public static final StoreOptions DEFAULT =
      new StoreOptions(
          null, Retention.DEFAULT, Clock.systemUTC(), Duration.ofDays(1), deleted -> {});

  public StoreOptions {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(onSweep, "onSweep");
    if (sweepInterval.isZero() || sweepInterval.isNegative()) {
      throw new SinkException(
          SinkException.Kind.USER, "retention sweep interval must be positive: " + sweepInterval);
    }
  }

  public StoreOptions withSpoolDir(Path dir) {
    return new StoreOptions(dir, retention, clock, sweepInterval, onSweep);
  }

  public StoreOptions withRetention(Retention next) {
    return new StoreOptions(spoolDir, next, clock, sweepInterval, onSweep);
  }

  public StoreOptions withClock(Clock next) {
    return new StoreOptions(spoolDir, retention, next, sweepInterval, onSweep);
  }

  public StoreOptions withSweepInterval(Duration next) {
    return new StoreOptions(spoolDir, retention, clock, next, onSweep);
  }

  public StoreOptions withOnSweep(Consumer<Map<String, Long>> next) {
    return new StoreOptions(spoolDir, retention, clock, sweepInterval, next);
  }
}
