package dev.tracefix.sink;

import static dev.tracefix.sink.EventStoreTest.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema-version-4 views over syscall and TCP events, checked against the events written. */
class ViewsTest {
  private static final StoreOptions KEEP_ALL_RETENTION =
      StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL);

  @TempDir Path tmp;
  private RootAllocator allocator;
  private SyntheticCapture capture;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
    capture = SyntheticCapture.generate("cap-v", 20_000, 41);
  }

  @AfterEach
  void closeAllocatorRevealingLeaks() {
    allocator.close();
  }

  @Test
  void syscallsCountsEachNamedSyscallAndTheSendtoRowsOfACaptureThatDidNotTraceSendto()
      throws SQLException {
    Map<String, Long> expected =
        capture.events().stream()
            .filter(e -> e.type() == EventType.SYSCALL || e.type() == EventType.SENDTO)
            .collect(
                Collectors.groupingBy(
                    e -> e.syscall() != null ? e.syscall() : e.type().columnValue(),
                    TreeMap::new,
                    Collectors.counting()));
    try (EventStore store = stored();
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      Map<String, Long> actual = new TreeMap<>();
      try (ResultSet rs =
          s.executeQuery("SELECT syscall, count(*) FROM syscalls GROUP BY syscall")) {
        while (rs.next()) {
          actual.put(rs.getString(1), rs.getLong(2));
        }
      }
      System.out.println("ViewsTest syscalls per name: " + actual);
      assertEquals(expected, actual);
      long fdSum =
          capture.events().stream()
              .filter(e -> e.type() == EventType.SYSCALL)
              .mapToLong(SafeEvent::fd)
              .sum();
      assertEquals(fdSum, single(s, "SELECT sum(fd) FROM syscalls WHERE source_type = 'syscall'"));
    }
  }

  @Test
  void tcpConnectionsHasOneRowPerConnectionWithItsResetsAndConnectLatency() throws SQLException {
    List<SafeEvent> tcp =
        capture.events().stream()
            .filter(e -> e.connectionHash() != null)
            .filter(
                e ->
                    switch (e.type()) {
                      case TCP_STATE, TCP_RESET_SENT, TCP_RESET_RECEIVED -> true;
                      default -> false;
                    })
            .toList();
    Map<String, List<SafeEvent>> byConnection =
        tcp.stream()
            .collect(
                Collectors.groupingBy(
                    SafeEvent::connectionHash, TreeMap::new, Collectors.toList()));
    try (EventStore store = stored();
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals((long) byConnection.size(), single(s, "SELECT count(*) FROM tcp_connections"));
      try (ResultSet rs =
          s.executeQuery(
              "SELECT connection_hash, resets_sent, resets_received, connect_ns, local_port,"
                  + " remote_port, local_hash, comm IS NOT NULL FROM tcp_connections"
                  + " ORDER BY connection_hash")) {
        int rows = 0;
        while (rs.next()) {
          List<SafeEvent> events = byConnection.get(rs.getString(1));
          String at = rs.getString(1);
          assertEquals(count(events, EventType.TCP_RESET_SENT), rs.getLong(2), at);
          assertEquals(count(events, EventType.TCP_RESET_RECEIVED), rs.getLong(3), at);
          Long connect =
              events.stream()
                  .filter(e -> "SYN_SENT".equals(e.tcpOldState()))
                  .filter(e -> "ESTABLISHED".equals(e.tcpNewState()))
                  .map(SafeEvent::durationNs)
                  .max(Long::compare)
                  .orElse(null);
          assertEquals(connect, (Long) rs.getObject(4), at);
          assertEquals(events.getFirst().localPort(), rs.getInt(5), at);
          assertEquals(events.getFirst().remotePort(), rs.getInt(6), at);
          assertEquals(events.getFirst().localHash(), rs.getString(7), at);
          assertTrue(rs.getBoolean(8), "the process of the connection is known: " + at);
          rows++;
        }
        assertEquals(byConnection.size(), rows);
      }
      System.out.println(
          "ViewsTest tcp_connections: "
              + byConnection.size()
              + " connections from "
              + tcp.size()
              + " state/reset events, "
              + single(s, "SELECT count(connect_ns) FROM tcp_connections")
              + " with a connect latency");
    }
  }

  private static long count(List<SafeEvent> events, EventType type) {
    return events.stream().filter(e -> Objects.equals(e.type(), type)).count();
  }

  private EventStore stored() {
    EventStore store = EventStore.open(tmp.resolve("views.duckdb"), allocator, KEEP_ALL_RETENTION);
    try (CaptureWriter writer = store.beginCapture("cap-v", "node-v")) {
      capture.writeTo(writer, 2_048);
      writer.finish(capture.summary());
    }
    return store;
  }
}
