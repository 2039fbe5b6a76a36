package dev.tracefix.server.analyst;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Random;

/**
 * Creates the trace tables (events, processes, captures) with the production column names and fills
 * them with generated traffic: steady sendto calls from two processes, a one-second burst of EPIPE
 * failures in the worker, a handful of very slow calls in the api, and retransmits that mostly go
 * to one peer.
 */
public final class TraceTables {
  private TraceTables() {}

  public static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
  public static final int EPIPE_BURST = 40;

  public static void create(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TABLE events (capture_id VARCHAR, time TIMESTAMP_NS, type VARCHAR,"
              + " process_token VARCHAR, duration_ns BIGINT, bytes BIGINT, errno INTEGER,"
              + " errno_name VARCHAR, peer_hash VARCHAR, key_id VARCHAR)");
      s.execute(
          "CREATE TABLE processes (capture_id VARCHAR, token VARCHAR, comm VARCHAR,"
              + " build_id VARCHAR, cgroup VARCHAR, exe_hash VARCHAR, key_id VARCHAR)");
      s.execute(
          "CREATE TABLE captures (capture_id VARCHAR, host VARCHAR, started_at TIMESTAMP,"
              + " ended_at TIMESTAMP, probes VARCHAR[], event_count BIGINT, drop_count BIGINT,"
              + " key_id VARCHAR, command_exit_code INTEGER)");
      s.execute(
          "INSERT INTO processes VALUES ('c1', 'tok-api-0001', 'api', 'b1', 'cg', 'x1', 'k1'),"
              + " ('c1', 'tok-worker-02', 'worker', 'b2', 'cg', 'x2', 'k1')");
      s.execute(
          "INSERT INTO captures VALUES ('c1', 'host-a', TIMESTAMP '2025-03-01 10:00:00',"
              + " TIMESTAMP '2025-03-01 10:01:00', ['sendto', 'tcp_retransmit'], 0, 0, 'k1', 0)");
    }
  }

  /** Generated traffic; returns the number of events inserted. */
  public static int fill(Connection connection, long seed) throws SQLException {
    Random random = new Random(seed);
    int count = 0;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO events VALUES ('c1', make_timestamp_ns(?), ?, ?, ?, ?, ?, ?, ?, 'k1')")) {
      long startNs = START.getEpochSecond() * 1_000_000_000L;
      for (int i = 0; i < 300; i++) {
        String token = i % 3 == 0 ? "tok-worker-02" : "tok-api-0001";
        long at = startNs + (long) (random.nextDouble() * 60e9);
        long duration = 20_000 + random.nextInt(20_000);
        count += add(insert, at, "sendto", token, duration, 0, null, "peer-" + (i % 4));
      }
      for (int i = 0; i < 5; i++) {
        count +=
            add(
                insert,
                startNs + (10L + i) * 1_000_000_000L,
                "sendto",
                "tok-api-0001",
                8_000_000L + i,
                0,
                null,
                "peer-1");
      }
      long burstAt = startNs + 30L * 1_000_000_000L;
      for (int i = 0; i < EPIPE_BURST; i++) {
        count +=
            add(
                insert,
                burstAt + i * 10_000_000L,
                "sendto",
                "tok-worker-02",
                15_000,
                32,
                "EPIPE",
                "peer-2");
      }
      for (int i = 0; i < 12; i++) {
        String peer = i < 10 ? "peer-lossy" : "peer-0";
        count +=
            add(
                insert,
                startNs + (long) (random.nextDouble() * 60e9),
                "tcp_retransmit",
                "tok-api-0001",
                0,
                0,
                null,
                peer);
      }
    }
    return count;
  }

  private static int add(
      PreparedStatement insert,
      long atNs,
      String type,
      String token,
      long durationNs,
      int errno,
      String errnoName,
      String peer)
      throws SQLException {
    insert.setLong(1, atNs);
    insert.setString(2, type);
    insert.setString(3, token);
    insert.setLong(4, durationNs);
    insert.setLong(5, 1200);
    insert.setInt(6, errno);
    insert.setString(7, errnoName);
    insert.setString(8, peer);
    return insert.executeUpdate();
  }
}
