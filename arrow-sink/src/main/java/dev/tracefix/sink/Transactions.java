package dev.tracefix.sink;

import java.sql.Connection;
import java.sql.SQLException;

/** One unit of work in one DuckDB transaction: all of it commits, or none of it does. */
public final class Transactions {
  private Transactions() {}

  /** Work that may fail with the database's own exception. */
  public interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction on {@code connection}: commits its result, or rolls back on
   * any failure (a failed rollback is attached to the failure) and rethrows. Restores the
   * connection's auto-commit setting either way.
   */
  public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }
}
