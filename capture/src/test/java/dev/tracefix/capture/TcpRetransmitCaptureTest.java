package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.keys.Redactor;
import dev.tracefix.capture.proc.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real packet loss in a throwaway network namespace: nftables drops data segments on input, so the
 * sender retransmits from its timer (softirq context, not the process's).
 */
class TcpRetransmitCaptureTest {
  private static final int PORT = 4242;
  private static final int WANT_RETRANSMITS = 3;

  @TempDir Path dir;
  private final String netns = "tracefix-test-" + UUID.randomUUID().toString().substring(0, 8);
  private boolean netnsCreated;

  @BeforeEach
  void createLossyNamespace() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    for (String tool : List.of("/usr/sbin/ip", "/usr/sbin/nft")) {
      if (!Files.isExecutable(Path.of(tool))) {
        if ("true".equals(System.getenv("CI"))) {
          fail("CI=true requires " + tool + " (iproute2, nftables)");
        }
        assumeTrue(false, tool + " is missing (install iproute2 and nftables)");
      }
    }
    NativeBuild.run(List.of("ip", "netns", "add", netns));
    netnsCreated = true;
    NativeBuild.run(List.of("ip", "-n", netns, "link", "set", "lo", "up"));
    Path rules =
        Files.writeString(
            dir.resolve("loss.nft"),
            """
            table inet tracefix_test {
              chain in {
                type filter hook input priority 0;
                tcp dport %d ip length > 100 drop
              }
            }
            """
                .formatted(PORT));
    NativeBuild.run(List.of("ip", "netns", "exec", netns, "nft", "-f", rules.toString()));
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (netnsCreated) {
      NativeBuild.run(List.of("ip", "netns", "del", netns));
    }
  }

  @Test
  void attributesTimerDrivenRetransmitsToTheProcessThatOwnsTheSocket() throws Exception {
    Path source = dir.resolve("tcp-retransmit.c");
    Files.copy(getClass().getResourceAsStream("/capture/tcp_retransmit_workload.c"), source);
    Path workload = NativeBuild.gcc(source, dir.resolve("tcp-retransmit"));
    Path keys = dir.resolve("keys");
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(
                    "ip",
                    "netns",
                    "exec",
                    netns,
                    workload.toString(),
                    "" + PORT,
                    "" + WANT_RETRANSMITS),
                keys),
            sink);

    assertEquals(0, summary.commandExitCode(), "workload saw its retransmissions");
    assertEquals(0, summary.dropCount());
    assertTrue(summary.probes().contains("tracepoint/tcp/tcp_retransmit_skb"));
    SafeProcess proc =
        sink.processes.stream()
            .filter(p -> p.comm().equals("tcp-retransmit"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("workload not announced: " + sink.processes));
    List<SafeEvent> mine =
        sink.events.stream().filter(e -> e.processToken().equals(proc.token())).toList();
    List<SafeEvent> retransmits =
        mine.stream().filter(e -> e.type() == EventType.TCP_RETRANSMIT).toList();
    List<SafeEvent> sends = mine.stream().filter(e -> e.type() == EventType.SENDTO).toList();
    System.out.printf(
        "retransmits attributed to the workload: %d, sends: %d, all events: %d%n",
        retransmits.size(), sends.size(), summary.eventCount());

    assertTrue(
        retransmits.size() >= WANT_RETRANSMITS,
        "at least the "
            + WANT_RETRANSMITS
            + " retransmits TCP_INFO reported, got "
            + retransmits.size());
    String expectedPeer =
        new Redactor(KeyStore.current(keys), ProcFs.system().bootId())
            .addressHash(2, new byte[] {127, 0, 0, 1}, PORT);
    assertTrue(
        retransmits.stream().allMatch(e -> expectedPeer.equals(e.peerHash())),
        "retransmits go to 127.0.0.1:" + PORT + " (as its keyed hash)");
    assertEquals(1, sends.size(), "one send() of the data segment");
    assertEquals(200, sends.getFirst().bytes());
    assertNull(sends.getFirst().peerHash(), "send() on a connected socket names no address");
  }
}
