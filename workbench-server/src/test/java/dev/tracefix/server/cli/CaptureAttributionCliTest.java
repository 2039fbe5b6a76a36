package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix capture -- CMD} on a busy machine, as a user runs it: while an untraced neighbour
 * makes loopback connections to its own listener, the store holds the command's TCP events and none
 * of the neighbour's (TCP events are attributed to the socket's owner, never to whichever task the
 * kernel interrupted).
 */
class CaptureAttributionCliTest {
  /** Listens on PORT and connects to itself COUNT times (or for SECONDS when COUNT is 0). */
  private static final String LOOPBACK_CLIENT =
      """
      import socket, sys, time
      port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
      srv = socket.socket()
      srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      srv.bind(("127.0.0.1", port))
      srv.listen(64)
      end, n = time.time() + seconds, 0
      while (count and n < count) or (not count and time.time() < end):
          c = socket.create_connection(("127.0.0.1", port))
          a, _ = srv.accept()
          c.sendall(b"x"); a.recv(1); c.close(); a.close(); n += 1
      time.sleep(0.3)
      """;

  @TempDir Path dir;

  @Test
  void aCommandsCaptureHoldsNoneOfAnUntracedNeighboursConnections() throws Exception {
    CliProcess.assumeKernelCapture();
    int neighbourPort = freePort();
    int commandPort = freePort();
    Process neighbour =
        new ProcessBuilder("python3", "-c", LOOPBACK_CLIENT, "" + neighbourPort, "0", "20")
            .redirectErrorStream(true)
            .start();
    Path db = dir.resolve("attribution.duckdb");
    try (CliProcess cli =
        CliProcess.start(
            dir,
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--duration",
            "60s",
            "--",
            "python3",
            "-c",
            LOOPBACK_CLIENT,
            "" + commandPort,
            "5",
            "0")) {
      assertEquals(0, cli.awaitExit(), cli::err);
    } finally {
      neighbour.destroy();
      neighbour.waitFor(10, TimeUnit.SECONDS);
    }
    List<String> foreign = new ArrayList<>();
    long own = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT type, local_port, remote_port FROM events WHERE type LIKE 'tcp%'")) {
      while (rs.next()) {
        int local = rs.getInt(2);
        int remote = rs.getInt(3);
        if (local == commandPort || remote == commandPort) {
          own++;
        } else {
          foreign.add(rs.getString(1) + " " + local + " -> " + remote);
        }
      }
    }
    System.out.printf(
        "attribution: %d TCP events of the command, %d of anything else%n", own, foreign.size());
    assertTrue(own >= 10, "the command's own connections were captured: " + own);
    assertEquals(List.of(), foreign, "neighbour port " + neighbourPort);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
