package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.policy.RetentionRule;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;

/**
 * Opens the event stores of CLI commands. Retention deletes rows, so it is never a side effect of
 * opening: only {@code capture} and {@code serve} apply it ({@link #openApplyingRetention}), and
 * say what it deleted; every other command opens with {@link Retention#KEEP_ALL}. {@code serve},
 * {@code run}, {@code report} and {@code demo} close the store again before notebooks run (each
 * notebook attaches it read-only).
 */
final class Stores {
  /** One root per CLI process; each store allocates from a child it closes with itself. */
  private static final RootAllocator ROOT = new RootAllocator();

  /** What "now" is for retention; tests set a clock past the recorded example's 14 days. */
  static Clock clock = Clock.systemUTC();

  private Stores() {}

  /**
   * Loads DuckDB's native library on a daemon thread (it unpacks and links about 70 MB, most of a
   * second of a cold start) while the caller does other start-up work, such as loading the privacy
   * policy; the store itself opens later. Creates nothing on disk but DuckDB's own temp copy of the
   * library, which every open makes anyway.
   */
  static void preload() {
    Thread.ofPlatform()
        .daemon()
        .name("tracefix-duckdb-preload")
        .start(
            () -> {
              try (java.sql.Connection warm =
                  java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
                // loaded
              } catch (java.sql.SQLException | RuntimeException e) {
                // The real open reports any problem, with the file named.
              }
            });
  }

  /** Opens or creates {@code db} without retention: nothing is deleted. */
  static EventStore open(Path db) {
    return EventStore.open(
        db, ROOT, StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL).withClock(clock));
  }

  /**
   * Opens or creates {@code db} under the default policy's retention, enforced now and daily while
   * the store stays open; every sweep prints one line on {@code out}, e.g. {@code retention:
   * deleted 640 events older than 14d}.
   */
  static EventStore openApplyingRetention(Path db, PrintStream out) {
    return openApplyingRetention(db, PolicyLoader.loadDefault(), out);
  }

  /** As {@link #openApplyingRetention(Path, PrintStream)}, under {@code policy}'s retention. */
  static EventStore openApplyingRetention(Path db, Policy policy, PrintStream out) {
    return openApplying(db, retention(policy), out);
  }

  /**
   * As {@link #openApplyingRetention(Path, Policy, PrintStream)}, its DuckDB capped at {@code
   * memoryBytes} and {@code threads} (0: DuckDB's default).
   */
  static EventStore openApplyingRetention(
      Path db, Policy policy, PrintStream out, long memoryBytes, int threads) {
    return openApplying(db, retention(policy), out, memoryBytes, threads);
  }

  /** Opens or creates {@code db}, enforcing {@code retention} and printing each sweep's line. */
  static EventStore openApplying(Path db, Retention retention, PrintStream out) {
    return openApplying(db, retention, out, 0, 0);
  }

  private static EventStore openApplying(
      Path db, Retention retention, PrintStream out, long memoryBytes, int threads) {
    if (retention.maxAge().isEmpty()) {
      out.println("retention: none (the privacy policy keeps every row)");
    }
    return EventStore.open(
        db,
        ROOT,
        StoreOptions.DEFAULT
            .withRetention(retention)
            .withClock(clock)
            .withOnSweep(deleted -> out.println(describe(retention, deleted)))
            .withLimits(memoryBytes, threads));
  }

  /** The policy's retention rules as the store's; a table the policy does not name is kept. */
  static Retention retention(Policy policy) {
    Retention retention = Retention.KEEP_ALL;
    for (RetentionRule rule : policy.retention()) {
      retention = retention.with(rule.table(), rule.maxAge().orElse(null));
    }
    return retention;
  }

  /**
   * {@code retention: deleted 640 events older than 14d}, or {@code retention: deleted 2 captures
   * older than 90d and 640 events older than 14d} when whole captures went too.
   */
  static String describe(Retention retention, Map<String, Long> deleted) {
    List<String> parts = new ArrayList<>();
    Duration captures = retention.maxAge().get("captures");
    Duration events = retention.maxAge().get("events");
    // Whole captures are rarely due: named when some went, or when they are the only rule.
    if (captures != null && (deleted.getOrDefault("captures", 0L) > 0 || events == null)) {
      parts.add(deleted.getOrDefault("captures", 0L) + " captures older than " + age(captures));
    }
    if (events != null) {
      parts.add(deleted.getOrDefault("events", 0L) + " events older than " + age(events));
    }
    return "retention: deleted " + String.join(" and ", parts);
  }

  /** 14d, 12h or 30m: how a retention age is written. */
  private static String age(Duration d) {
    if (d.toHours() % 24 == 0 && d.toMinutes() % 60 == 0) {
      return d.toDays() + "d";
    }
    return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
  }
}
