package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TCP state changes and resets of a traced workload, joined per connection by a keyed hash. */
class TcpEventsCaptureTest {
  private static final int REFUSED = 6;

  @TempDir Path dir;

  @Test
  void seesTheConnectLatencyAndTheResetEachRefusedConnectReceived() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("tcp.c");
    Files.copy(getClass().getResourceAsStream("/capture/tcp_workload.c"), source);
    Path workload = NativeBuild.gcc(source, dir.resolve("tcp-workload"));
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(workload.toString(), "" + REFUSED),
                dir.resolve("keys"),
                0,
                Set.of()),
            sink);

    assertEquals(0, summary.commandExitCode(), "workload exit code");
    List<SafeEvent> tcp =
        sink.events.stream()
            .filter(
                e ->
                    e.type() == EventType.TCP_STATE
                        || e.type() == EventType.TCP_RESET_SENT
                        || e.type() == EventType.TCP_RESET_RECEIVED)
            .toList();
    List<SafeEvent> received =
        tcp.stream().filter(e -> e.type() == EventType.TCP_RESET_RECEIVED).toList();
    List<SafeEvent> sent = tcp.stream().filter(e -> e.type() == EventType.TCP_RESET_SENT).toList();
    List<SafeEvent> established =
        tcp.stream()
            .filter(
                e -> "SYN_SENT".equals(e.tcpOldState()) && "ESTABLISHED".equals(e.tcpNewState()))
            .toList();
    System.out.printf(
        "tcp events: %s; resets received %d, sent %d; connect latency %d ns; stats %s%n",
        tcp.stream()
            .collect(
                Collectors.groupingBy(
                    e -> e.type().columnValue() + ":" + e.tcpOldState() + ">" + e.tcpNewState(),
                    Collectors.counting())),
        received.size(),
        sent.size(),
        established.isEmpty() ? -1 : established.getFirst().durationNs(),
        summary.stats());

    assertEquals(1, established.size(), "one connect reached ESTABLISHED");
    assertTrue(established.getFirst().durationNs() > 0, "connect latency");
    assertEquals(REFUSED, received.size(), "resets received: one per refused connect");
    // The kernel answers each SYN to the closed port with a reset sent without a socket: no
    // process owns it, so it is not the command's (TcpAttributionCaptureTest: unattributed).
    assertEquals(0, sent.size(), "resets sent for the closed port");
    assertTrue(received.stream().allMatch(e -> "SYN_SENT".equals(e.tcpOldState())));
    // Each refused socket: its CLOSE -> SYN_SENT and its reset share one connection hash.
    Set<String> connecting =
        tcp.stream()
            .filter(e -> e.type() == EventType.TCP_STATE && "SYN_SENT".equals(e.tcpNewState()))
            .map(SafeEvent::connectionHash)
            .collect(Collectors.toSet());
    assertEquals(REFUSED + 1, connecting.size(), "one connection hash per connect()");
    assertTrue(received.stream().allMatch(e -> connecting.contains(e.connectionHash())));
    assertEquals(REFUSED, received.stream().map(SafeEvent::connectionHash).distinct().count());
    // All refused connects went to one closed port; addresses only as keyed hashes.
    assertEquals(1, received.stream().map(SafeEvent::remotePort).distinct().count());
    assertTrue(received.getFirst().remotePort() > 0);
    assertEquals(1, received.stream().map(SafeEvent::peerHash).distinct().count());
    assertNotNull(received.getFirst().localHash());
    assertTrue(
        tcp.stream()
            .allMatch(
                e ->
                    e.family() == 2
                        && e.protocol() == 6
                        && (e.peerHash() == null || e.peerHash().startsWith("a_"))));
    for (TypeStats t : summary.stats()) {
      assertTrue(t.balanced(), t::toString);
    }
  }
}
