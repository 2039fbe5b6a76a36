package dev.tracefix.server.run;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a database connection for one notebook session. Each session gets its own connection, so
 * one notebook's temp tables (named results) never leak into another's.
 */
@FunctionalInterface
public interface ConnectionFactory {
  Connection connect() throws SQLException;
}
