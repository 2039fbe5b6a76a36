package dev.tracefix.capture.privacy.policy;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How long the event store keeps one table's rows: {@code events} by event time, {@code captures}
 * as a whole capture (with all its rows) once it ended that long ago. The store enforces it when it
 * opens and once a day while open.
 *
 * @param table {@code events} or {@code captures}
 * @param maxAge the age after which rows are deleted; empty for {@code forever}
 * @param line the policy line that says so; 0 when the policy has no {@code retention} section
 */
public record RetentionRule(String table, Optional<Duration> maxAge, int line) {
  /** The tables the event store can age out (its {@code Retention.TABLES}). */
  public static final Set<String> TABLES = Set.of("events", "captures");

  /** What a policy without a {@code retention} section means: events are kept 14 days. */
  public static final RetentionRule DEFAULT_EVENTS =
      new RetentionRule("events", Optional.of(Duration.ofDays(14)), 0);

  /** The age as the policy writes it: {@code 14d}, {@code 12h}, {@code 30m} or {@code forever}. */
  public String age() {
    if (maxAge.isEmpty()) {
      return "forever";
    }
    Duration d = maxAge.get();
    if (d.toMinutes() % (24 * 60) == 0) {
      return d.toDays() + "d";
    }
    return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
  }

  /** {@code TABLE=AGE}, the form the event store's retention and {@code --retention} take. */
  public String spec() {
    return table + "=" + age();
  }
}
