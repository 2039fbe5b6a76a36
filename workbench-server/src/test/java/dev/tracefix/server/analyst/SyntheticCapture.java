package dev.tracefix.server.analyst;

import dev.tracefix.sink.schema.StoreSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * A capture written straight into a DuckDB migrated with the event store's own schema ({@link
 * StoreSchema}), one event at a time: for detector tests that need a pattern (or its absence) that
 * a live capture would take minutes to produce.
 */
final class SyntheticCapture implements AutoCloseable {
  static final long START_NS = 1_740_823_200_000_000_000L; // 2025-03-01 10:00:00 UTC

  final Connection connection;
  private final PreparedStatement insert;

  /** Prepared once: JVM patterns write thousands of rows, and a statement each cost seconds. */
  private PreparedStatement insertJvm;

  SyntheticCapture() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    StoreSchema.migrate(connection);
    try (Statement s = connection.createStatement()) {
      s.execute(
          "INSERT INTO captures (capture_id, host, started_at, ended_at, event_count, drop_count, key_id)"
              + " VALUES ('c1', 'host-a', TIMESTAMP '2025-03-01 10:00:00', TIMESTAMP '2025-03-01 10:01:00', 0, 0, 'k1')");
    }
    insert =
        connection.prepareStatement(
            "INSERT INTO events (capture_id, time, type, process_token, duration_ns, bytes, errno, errno_name,"
                + " peer_hash, key_id, syscall, fd) VALUES ('c1', make_timestamp_ns(?), ?, ?, ?, ?, ?, ?, ?, 'k1', ?, ?)");
  }

  SyntheticCapture process(String token, String comm, String buildId) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id)"
                + " VALUES ('c1', ?, ?, ?, '/', 'e_1', 'k1')")) {
      p.setString(1, token);
      p.setString(2, comm);
      p.setString(3, buildId);
      p.executeUpdate();
    }
    return this;
  }

  /** One event; {@code errnoName} null for success; {@code syscall} only for type syscall. */
  SyntheticCapture event(
      double atSeconds,
      String type,
      String token,
      long durationNs,
      long bytes,
      String errnoName,
      String peer,
      String syscall,
      int fd)
      throws SQLException {
    insert.setLong(1, START_NS + (long) (atSeconds * 1e9));
    insert.setString(2, type);
    insert.setString(3, token);
    insert.setLong(4, durationNs);
    insert.setLong(5, bytes);
    insert.setInt(6, errnoName == null ? 0 : errnoNumber(errnoName));
    if (errnoName == null) {
      insert.setNull(7, Types.VARCHAR);
    } else {
      insert.setString(7, errnoName);
    }
    insert.setString(8, peer);
    insert.setString(9, syscall);
    insert.setInt(10, fd);
    insert.executeUpdate();
    return this;
  }

  /** A TCP state change of {@code token}'s socket: its local port and the remote one (0: none). */
  SyntheticCapture tcp(double at, String token, int localPort, int remotePort) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT INTO events (capture_id, time, type, process_token, duration_ns, bytes, errno, key_id,"
                + " local_port, remote_port, tcp_old_state, tcp_new_state)"
                + " VALUES ('c1', make_timestamp_ns(?), 'tcp_state', ?, 0, 0, 0, 'k1', ?, ?, 'SYN_SENT', 'ESTABLISHED')")) {
      p.setLong(1, START_NS + (long) (at * 1e9));
      p.setString(2, token);
      p.setInt(3, localPort);
      p.setInt(4, remotePort);
      p.executeUpdate();
    }
    return this;
  }

  /** {@code token} exits with the wait(2) status {@code status} (exit code << 8, or a signal). */
  SyntheticCapture exit(double at, String token, int status) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT INTO events (capture_id, time, type, process_token, duration_ns, bytes, errno, key_id, exit_status)"
                + " VALUES ('c1', make_timestamp_ns(?), 'process_exit', ?, 0, 0, 0, 'k1', ?)")) {
      p.setLong(1, START_NS + (long) (at * 1e9));
      p.setString(2, token);
      p.setInt(3, status);
      p.executeUpdate();
    }
    return this;
  }

  /** A JVM flight-recorder row of {@code token} ({@code objectClass} null where it has none). */
  SyntheticCapture jvm(double at, String type, String token, long durationNs, String objectClass)
      throws SQLException {
    if (insertJvm == null) {
      insertJvm =
          connection.prepareStatement(
              "INSERT INTO jvm_events (capture_id, time, type, process_token, key_id, duration_ns,"
                  + " object_class) VALUES ('c1', make_timestamp_ns(?), ?, ?, 'k1', ?, ?)");
    }
    insertJvm.setLong(1, START_NS + (long) (at * 1e9));
    insertJvm.setString(2, type);
    insertJvm.setString(3, token);
    insertJvm.setLong(4, durationNs);
    insertJvm.setString(5, objectClass);
    insertJvm.executeUpdate();
    return this;
  }

  SyntheticCapture call(
      double at, String token, String syscall, int fd, long durationNs, String errnoName)
      throws SQLException {
    return event(at, "syscall", token, durationNs, 0, errnoName, null, syscall, fd);
  }

  private static int errnoNumber(String name) {
    return switch (name) {
      case "EAGAIN" -> 11;
      case "ENOMEM" -> 12;
      case "EMFILE" -> 24;
      case "ENOSPC" -> 28;
      case "EPIPE" -> 32;
      case "ECONNRESET" -> 104;
      case "ETIMEDOUT" -> 110;
      case "ECONNREFUSED" -> 111;
      default -> 5;
    };
  }

  @Override
  public void close() throws SQLException {
    insert.close();
    if (insertJvm != null) {
      insertJvm.close();
    }
    connection.close();
  }
}
