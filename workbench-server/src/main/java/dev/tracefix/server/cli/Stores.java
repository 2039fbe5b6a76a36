package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.policy.RetentionRule;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import java.nio.file.Path;
import org.apache.arrow.memory.RootAllocator;

/**
 * Opens the event stores of CLI commands with the retention the default privacy policy states, so
 * a store ages out rows when it opens and daily while it stays open. {@code serve}, {@code run},
 * {@code report} and {@code demo} close it again before notebooks run (each notebook attaches it
 * read-only), so for them retention runs at start.
 */
final class Stores {
  /** One root per CLI process; each store allocates from a child it closes with itself. */
  private static final RootAllocator ROOT = new RootAllocator();

  private Stores() {}

  /** Opens or creates {@code db} under the default policy's retention. */
  static EventStore open(Path db) {
    return open(db, retention(PolicyLoader.loadDefault()));
  }

  static EventStore open(Path db, Retention retention) {
    return EventStore.open(db, ROOT, StoreOptions.DEFAULT.withRetention(retention));
  }

  /** The policy's retention rules as the store's; a table the policy does not name is kept. */
  static Retention retention(Policy policy) {
    Retention retention = Retention.KEEP_ALL;
    for (RetentionRule rule : policy.retention()) {
      retention = retention.with(rule.table(), rule.maxAge().orElse(null));
    }
    return retention;
  }
}
