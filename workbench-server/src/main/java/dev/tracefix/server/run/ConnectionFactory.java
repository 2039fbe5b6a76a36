package dev.tracefix.server.run;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a connection for a short read of the event store outside notebook sessions (a report's
 * capture facts); the caller closes it. Notebook sessions get databases of their own ({@link
 * dev.tracefix.server.kernel.sql.NotebookDatabases}).
 */
@FunctionalInterface
public interface ConnectionFactory {
  Connection connect() throws SQLException;
}
