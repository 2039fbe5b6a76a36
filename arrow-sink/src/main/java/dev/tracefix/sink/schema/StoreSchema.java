package dev.tracefix.sink.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables every other part of tracefix writes SQL against. Column names are a contract: the
 * notebook, the saved queries and the Parquet layout all use them verbatim.
 *
 * <p>Migrations are a list indexed by version; {@link #migrate} applies the ones a database has not
 * seen yet, in one transaction each, and records the new version. Then it adds the {@code events}
 * columns {@link EventColumns} (that is, {@code SafeEvent}) declares and the table lacks: a field
 * added to {@code SafeEvent} needs no migration here. Write one for what is not additive (a column
 * renamed, retyped or dropped, a view, another table); since the column may already have been added
 * that way, a migration that adds an {@code events} column uses {@code ADD COLUMN IF NOT EXISTS}.
 */
public final class StoreSchema {
  /** The version a freshly migrated database reports in {@code schema_version}. */
  public static final int CURRENT_VERSION = 14;

  private static final List<String> VERSION_1 =
      List.of(
          """
          CREATE TABLE captures(
            capture_id VARCHAR PRIMARY KEY,
            host VARCHAR,
            started_at TIMESTAMP,
            ended_at TIMESTAMP,
            probes VARCHAR[],
            event_count BIGINT,
            drop_count BIGINT,
            key_id VARCHAR,
            command_exit_code INTEGER)
          """,
          """
          CREATE TABLE events(
            capture_id VARCHAR,
            time TIMESTAMP_NS,
            type VARCHAR,
            process_token VARCHAR,
            duration_ns BIGINT,
            bytes BIGINT,
            errno INTEGER,
            errno_name VARCHAR,
            peer_hash VARCHAR,
            key_id VARCHAR)
          """,
          """
          CREATE TABLE processes(
            capture_id VARCHAR,
            token VARCHAR,
            comm VARCHAR,
            build_id VARCHAR,
            cgroup VARCHAR,
            exe_hash VARCHAR,
            key_id VARCHAR)
          """,
          // One row per sendto call with the identity of the process that made it; the view most
          // notebook cells start from.
          """
          CREATE VIEW sendto_calls AS
          SELECT e.capture_id, e.time, e.process_token, p.comm, p.build_id, e.duration_ns,
                 e.bytes, e.errno, e.errno_name, e.peer_hash
          FROM events e
          LEFT JOIN processes p ON p.capture_id = e.capture_id AND p.token = e.process_token
          WHERE e.type = 'sendto'
          """);

  private static final List<List<String>> MIGRATIONS =
      List.of(
          VERSION_1,
          SchemaV2.DDL,
          SchemaV3.DDL,
          SchemaV4.DDL,
          SchemaV5.DDL,
          SchemaV6.DDL,
          SchemaV7.DDL,
          SchemaV8.DDL,
          SchemaV9.DDL,
          SchemaV10.DDL,
          SchemaV11.DDL,
          SchemaV12.DDL,
          SchemaV13.DDL,
          SchemaV14.DDL);

  private StoreSchema() {}

  /** The database was written by a newer tracefix; opening it would risk misreading it. */
  public static final class NewerSchemaException extends SQLException {
    private final int found;

    NewerSchemaException(int found) {
      super(
          "database schema version "
              + found
              + " is newer than this tracefix understands (up to "
              + CURRENT_VERSION
              + "); open it with the tracefix that wrote it, or upgrade tracefix");
      this.found = found;
    }

    public int found() {
      return found;
    }
  }

  /** Brings the database up to {@link #CURRENT_VERSION}; returns the version found before. */
  public static int migrate(Connection connection) throws SQLException {
    return migrate(connection, CURRENT_VERSION);
  }

  /** Brings the database up to {@code target}: tests build databases of an older version. */
  static int migrate(Connection connection, int target) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
      int found = currentVersion(statement);
      if (found > CURRENT_VERSION) {
        throw new NewerSchemaException(found);
      }
      for (int version = found + 1; version <= target; version++) {
        int next = version;
        inTransaction(
            connection,
            () -> {
              for (String ddl : MIGRATIONS.get(next - 1)) {
                statement.execute(ddl);
              }
              statement.execute("DELETE FROM schema_version");
              statement.execute("INSERT INTO schema_version VALUES (" + next + ")");
            });
      }
      if (target == CURRENT_VERSION) {
        // Only a store brought up to date gets SafeEvent's columns: one built at an older version
        // for a test has that version's columns, as a store that old had.
        inTransaction(connection, () -> EventColumnSync.addMissing(statement));
        inTransaction(connection, () -> JvmEventColumns.addMissing(statement));
      }
      return found;
    }
  }

  /** A step that may fail with an SQLException. */
  private interface SqlStep {
    void run() throws SQLException;
  }

  /** Runs {@code step} in one transaction: committed whole or rolled back whole. */
  private static void inTransaction(Connection connection, SqlStep step) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      step.run();
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static int currentVersion(Statement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SELECT max(version) FROM schema_version")) {
      rs.next();
      return rs.getInt(1); // NULL reads as 0: an empty database
    }
  }
}
