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
 * @param memoryLimitBytes DuckDB's {@code memory_limit} for this store's database; 0 for DuckDB's
 *     default (80 % of RAM), which a capture agent left running should not take
 * @param threads DuckDB's {@code threads}; 0 for DuckDB's default (one per core)
 */
public record StoreOptions(
    Path spoolDir,
    Retention retention,
    Clock clock,
    Duration sweepInterval,
    Consumer<Map<String, Long>> onSweep,
    long memoryLimitBytes,
    int threads) {
  public static final StoreOptions DEFAULT =
      new StoreOptions(
          null, Retention.DEFAULT, Clock.systemUTC(), Duration.ofDays(1), deleted -> {}, 0, 0);

  public StoreOptions {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(onSweep, "onSweep");
    if (sweepInterval.isZero() || sweepInterval.isNegative()) {
      throw new SinkException(
          SinkException.Kind.USER, "retention sweep interval must be positive: " + sweepInterval);
    }
    if (memoryLimitBytes < 0 || (memoryLimitBytes > 0 && memoryLimitBytes < (16L << 20))) {
      throw new SinkException(
          SinkException.Kind.USER,
          "the store's memory limit must be at least 16 MiB (or 0 for DuckDB's default), got "
              + memoryLimitBytes
              + " bytes");
    }
    if (threads < 0 || threads > 1024) {
      throw new SinkException(
          SinkException.Kind.USER,
          "the store's threads must be between 1 and 1024 (or 0 for DuckDB's default), got "
              + threads);
    }
  }

  /** These options with DuckDB's memory_limit and threads capped (0: DuckDB's default). */
  public StoreOptions withLimits(long memoryBytes, int threadCount) {
    return new StoreOptions(
        spoolDir, retention, clock, sweepInterval, onSweep, memoryBytes, threadCount);
  }

  public StoreOptions withSpoolDir(Path dir) {
    return new StoreOptions(
        dir, retention, clock, sweepInterval, onSweep, memoryLimitBytes, threads);
  }

  public StoreOptions withRetention(Retention next) {
    return new StoreOptions(
        spoolDir, next, clock, sweepInterval, onSweep, memoryLimitBytes, threads);
  }

  public StoreOptions withClock(Clock next) {
    return new StoreOptions(
        spoolDir, retention, next, sweepInterval, onSweep, memoryLimitBytes, threads);
  }

  public StoreOptions withSweepInterval(Duration next) {
    return new StoreOptions(spoolDir, retention, clock, next, onSweep, memoryLimitBytes, threads);
  }

  public StoreOptions withOnSweep(Consumer<Map<String, Long>> next) {
    return new StoreOptions(
        spoolDir, retention, clock, sweepInterval, next, memoryLimitBytes, threads);
  }
}
