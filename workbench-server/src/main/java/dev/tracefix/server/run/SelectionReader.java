package dev.tracefix.server.run;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads a selection of events (a SQL cell's kept result, or the store's events) for a view such as
 * the timeline or the flame graph, on a connection the workspace opens and closes.
 *
 * @param <T> what the view makes of it
 */
@FunctionalInterface
public interface SelectionReader<T> {
  /**
   * @param relation the selection as a qualified, quoted table name to use in {@code FROM}
   * @param store the event store's schema (e.g. {@code store.main}) for joins such as {@code
   *     stacks}, or null when the notebook has no store
   */
  T read(Connection connection, String relation, String store) throws SQLException;
}
