package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.keys.Redactor;
import dev.tracefix.capture.proc.ProcFs;
import dev.tracefix.capture.proc.ProcessTable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP events belong to the socket's owner, not to whichever task the kernel was running when it
 * processed them. On loopback both ends of a connection are processed inside the sender's syscalls
 * (softirq on the way out), so an untraced peer's sockets change state while a traced process is
 * current, and the other way round.
 */
class TcpAttributionCaptureTest {
  private static final int OWN = 5;
  private static final int PEER = 5;
  private static final int ACCEPT_ONLY = 20;
  private static final int READ_TO_EOF = 20;
  private static final int REFUSED = 6;

  @TempDir Path dir;
  private Process neighbour;
  private Process server;

  @AfterEach
  void stopWorkloads() {
    for (Process p : new Process[] {neighbour, server}) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void aCommandsCaptureHoldsAllItsConnectionsAndNoneOfAnUntracedNeighbours() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path peer = build("tcp_attribution_peer.c", "attr-peer");
    Path client = build("tcp_attribution_client.c", "attr-client");
    Path keys = dir.resolve("keys");
    Path peerPortFile = dir.resolve("peer.port");
    neighbour = new ProcessBuilder(peer.toString(), peerPortFile.toString()).start();
    int peerPort = Integer.parseInt(awaitFile(peerPortFile).strip());
    String neighbourToken = tokenOf(neighbour.pid(), keys);
    Path portsFile = dir.resolve("client.ports");
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(60),
                OptionalInt.empty(),
                List.of(
                    client.toString(), "" + peerPort, "" + OWN, "" + PEER, portsFile.toString()),
                keys),
            sink);
    neighbour.toHandle().destroy(); // SIGTERM, leaving its output readable
    String neighbourOut = new String(neighbour.getInputStream().readAllBytes()).strip();

    Map<String, List<Integer>> ports =
        Files.readAllLines(portsFile).stream()
            .map(line -> line.split(" "))
            .collect(
                Collectors.groupingBy(
                    f -> f[0],
                    Collectors.mapping(f -> Integer.parseInt(f[1]), Collectors.toList())));
    int listenPort = ports.get("listen").getFirst();
    Set<Integer> commandPorts =
        ports.values().stream().flatMap(List::stream).collect(Collectors.toSet());
    SafeProcess command = processNamed(sink, "attr-client");
    List<SafeEvent> tcp = tcpEvents(sink);
    List<SafeEvent> foreign =
        tcp.stream()
            .filter(e -> e.localPort() != 0 && !commandPorts.contains(e.localPort()))
            .toList();
    System.out.printf(
        "command TCP events %d by transition %s; foreign local ports %d %s; neighbour port %d, "
            + "neighbour connections during the test %s; stats %s%n",
        tcp.size(),
        byTransition(tcp, e -> true),
        foreign.size(),
        byTransition(foreign, e -> true),
        peerPort,
        neighbourOut,
        summary.stats());

    assertEquals(0, summary.commandExitCode(), "client workload exit code");
    assertTrue(
        sink.events.stream().noneMatch(e -> e.processToken().equals(neighbourToken)),
        "no event of the untraced neighbour");
    assertTrue(
        tcp.stream().allMatch(e -> e.processToken().equals(command.token())),
        "every TCP event is the command's");
    assertTrue(
        tcp.stream().noneMatch(e -> e.localPort() == peerPort),
        "none of the neighbour's server-side sockets, which changed state inside the command's"
            + " connect(), write() and close()");
    assertEquals(
        Map.of(), byTransition(foreign, any()), "TCP events of sockets the command does not own");
    assertEquals(OWN + PEER, count(tcp, "CLOSE>SYN_SENT", any()), "every connect()");
    for (int port : ports.get("own")) {
      assertConnectionClosedActively(tcp, port);
    }
    for (int port : ports.get("peer")) {
      assertConnectionClosedActively(tcp, port);
    }
    // The command's own listener: its accepted sockets inherit it, before accept() returns.
    assertEquals(1, count(tcp, "CLOSE>LISTEN", port(listenPort)));
    assertEquals(OWN, count(tcp, "LISTEN>SYN_RECV", port(listenPort)));
    assertEquals(OWN, count(tcp, "SYN_RECV>ESTABLISHED", port(listenPort)));
    assertEquals(OWN, count(tcp, "CLOSE_WAIT>LAST_ACK", port(listenPort)));
    assertEquals(OWN, count(tcp, "LAST_ACK>CLOSE", port(listenPort)));
    for (TypeStats t : summary.stats()) {
      assertTrue(t.balanced(), t::toString);
    }
  }

  /** Every probe group: raw_syscalls' exit makes the server owner of what it accepts. */
  @Test
  void aPidCaptureOfAServerHoldsItsAcceptedSocketsAndNoneOfItsUntracedClients() throws Exception {
    captureServer(ProbeGroup.ALL);
  }

  /** The tcp group alone: syscalls:sys_exit_accept{,4} do it instead. */
  @Test
  void theTcpGroupAloneAlsoHoldsTheServersAcceptedSockets() throws Exception {
    captureServer(Set.of(ProbeGroup.TCP));
  }

  /** Runs the server, traced by pid with these probe groups, and its untraced clients. */
  private void captureServer(Set<ProbeGroup> groups) throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path exe = build("tcp_attribution_server.c", "attr-server");
    Path keys = dir.resolve("keys");
    server = new ProcessBuilder(exe.toString(), "" + ACCEPT_ONLY, "" + READ_TO_EOF).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    int portA = portLine(out.readLine(), "A");
    String serverToken = tokenOf(server.pid(), keys);
    CountDownLatch attached = new CountDownLatch(1);
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();
    CompletableFuture<CaptureSummary> capture =
        CompletableFuture.supplyAsync(
            () ->
                Capture.run(
                    new CaptureConfig(
                            Duration.ofSeconds(8),
                            OptionalInt.of((int) server.pid()),
                            List.of(),
                            keys,
                            0,
                            CaptureConfig.DEFAULT_SYSCALLS,
                            List.of())
                        .withFilters(List.of(), Map.of(), groups),
                    sink,
                    stats -> attached.countDown()));
    assertTrue(attached.await(30, TimeUnit.SECONDS), "capture started");

    // Listener B is made while the server is traced; listener A was there before.
    try (OutputStream in = server.getOutputStream()) {
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      int portB = portLine(out.readLine(), "B");
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      for (int i = 0; i < ACCEPT_ONLY; i++) {
        try (Socket s = new Socket(loopback, portA)) {
          s.getInputStream().readAllBytes(); // the server accepts and closes
        }
      }
      for (int i = 0; i < READ_TO_EOF; i++) {
        try (Socket s = new Socket(loopback, portB)) {
          s.getOutputStream().write("client".getBytes(StandardCharsets.UTF_8));
          s.shutdownOutput();
          s.getInputStream().readAllBytes();
        }
      }
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "server served every connection");
      assertEquals(0, server.exitValue(), "server exit code");
      CaptureSummary summary = capture.get(60, TimeUnit.SECONDS);

      List<SafeEvent> tcp = tcpEvents(sink);
      Predicate<SafeEvent> serverSide = e -> e.localPort() == portA || e.localPort() == portB;
      List<SafeEvent> clientSide = tcp.stream().filter(serverSide.negate()).toList();
      System.out.printf(
          "%s: server TCP events %d: port A (listening before the capture) %s; port B %s; "
              + "client-side sockets %d %s; probes %s; stats %s%n",
          groups,
          tcp.size(),
          byTransition(tcp, port(portA)),
          byTransition(tcp, port(portB)),
          clientSide.size(),
          byTransition(clientSide, any()),
          summary.probes(),
          summary.stats());

      assertTrue(
          tcp.stream().allMatch(e -> e.processToken().equals(serverToken)),
          "every TCP event is the traced server's");
      assertEquals(
          Map.of(),
          byTransition(clientSide, any()),
          "no event of a client socket, local port A or B only");
      // A: the server touched these sockets only through accept() and close().
      assertEquals(ACCEPT_ONLY, count(tcp, "ESTABLISHED>FIN_WAIT1", port(portA)));
      assertEquals(ACCEPT_ONLY, count(tcp, "FIN_WAIT1>FIN_WAIT2", port(portA)));
      assertEquals(ACCEPT_ONLY, count(tcp, "FIN_WAIT2>CLOSE", port(portA)));
      // B: accepted sockets inherit the listener's owner, so even the handshake is the server's.
      assertEquals(1, count(tcp, "CLOSE>LISTEN", port(portB)));
      assertEquals(READ_TO_EOF, count(tcp, "LISTEN>SYN_RECV", port(portB)));
      assertEquals(READ_TO_EOF, count(tcp, "SYN_RECV>ESTABLISHED", port(portB)));
      assertEquals(READ_TO_EOF, count(tcp, "ESTABLISHED>CLOSE_WAIT", port(portB)));
      assertEquals(READ_TO_EOF, count(tcp, "CLOSE_WAIT>LAST_ACK", port(portB)));
      assertEquals(READ_TO_EOF, count(tcp, "LAST_ACK>CLOSE", port(portB)));
      for (TypeStats t : summary.stats()) {
        assertTrue(t.balanced(), t::toString);
      }
    }
  }

  @Test
  void aSystemWideCaptureKeepsResetsNoProcessOwnsAsUnattributed() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("tcp.c");
    Files.copy(getClass().getResourceAsStream("/capture/tcp_workload.c"), source);
    Path workload = NativeBuild.gcc(source, dir.resolve("tcp-workload"));
    CountDownLatch attached = new CountDownLatch(1);
    CaptureTest.RecordingSink sink = new CaptureTest.RecordingSink();
    CompletableFuture<CaptureSummary> capture =
        CompletableFuture.supplyAsync(
            () ->
                Capture.run(
                    new CaptureConfig(
                            Duration.ofSeconds(4),
                            OptionalInt.empty(),
                            List.of(),
                            dir.resolve("keys"),
                            0,
                            Set.of(),
                            List.of())
                        .withFilters(List.of(), Map.of(), Set.of(ProbeGroup.TCP)),
                    sink,
                    stats -> attached.countDown()));
    assertTrue(attached.await(30, TimeUnit.SECONDS), "capture started");
    NativeBuild.run(List.of(workload.toString(), "" + REFUSED));
    CaptureSummary summary = capture.get(60, TimeUnit.SECONDS);

    SafeProcess tcpWorkload = processNamed(sink, "tcp-workload");
    List<SafeEvent> tcp = tcpEvents(sink);
    List<SafeEvent> received =
        tcp.stream()
            .filter(e -> e.processToken().equals(tcpWorkload.token()))
            .filter(e -> e.type() == EventType.TCP_RESET_RECEIVED)
            .toList();
    int closedPort = received.isEmpty() ? -1 : received.getFirst().remotePort();
    List<SafeEvent> sent =
        tcp.stream()
            .filter(e -> e.type() == EventType.TCP_RESET_SENT && e.localPort() == closedPort)
            .toList();
    Map<String, Long> sentBy =
        sent.stream()
            .collect(
                Collectors.groupingBy(
                    e -> commOf(sink, e.processToken()), TreeMap::new, Collectors.counting()));
    System.out.printf(
        "system-wide: %d TCP events; the workload's resets received %d (closed port %d), "
            + "resets sent from that port by process %s; stats %s%n",
        tcp.size(), received.size(), closedPort, sentBy, summary.stats());

    assertEquals(REFUSED, received.size(), "the workload's refused connects, as its own");
    assertTrue(received.stream().allMatch(e -> e.remotePort() == closedPort));
    assertEquals(
        Map.of(ProcessTable.UNATTRIBUTED_COMM, (long) REFUSED),
        sentBy,
        "the kernel's resets for the closed port, owned by no socket: unattributed");
    for (TypeStats t : summary.stats()) {
      assertTrue(t.balanced(), t::toString);
    }
  }

  /** One connection the command closed first: connected, then through FIN_WAIT1 to CLOSE. */
  private static void assertConnectionClosedActively(List<SafeEvent> tcp, int localPort) {
    String seen = byTransition(tcp, port(localPort)).toString();
    assertEquals(1, count(tcp, "SYN_SENT>ESTABLISHED", port(localPort)), seen);
    assertEquals(1, count(tcp, "ESTABLISHED>FIN_WAIT1", port(localPort)), seen);
    assertEquals(1, count(tcp, "FIN_WAIT2>CLOSE", port(localPort)), seen);
  }

  private Path build(String resource, String name) throws Exception {
    Path source = dir.resolve(resource);
    Files.copy(getClass().getResourceAsStream("/capture/" + resource), source);
    return NativeBuild.gcc(source, dir.resolve(name), "-pthread");
  }

  private static String awaitFile(Path file) throws Exception {
    for (int i = 0; i < 200 && !Files.exists(file); i++) {
      Thread.sleep(50);
    }
    return Files.readString(file);
  }

  private static int portLine(String line, String name) {
    String[] f = String.valueOf(line).split(" ");
    assertEquals(name, f[0], "server said: " + line);
    return Integer.parseInt(f[1]);
  }

  /** The process token capture gives a live process (generation 0). */
  private static String tokenOf(long pid, Path keys) {
    ProcFs proc = ProcFs.system();
    return new Redactor(KeyStore.current(keys), proc.bootId())
        .processToken((int) pid, proc.startTimeTicks((int) pid).orElseThrow());
  }

  private static String commOf(CaptureTest.RecordingSink sink, String token) {
    return sink.processes.stream()
        .filter(p -> p.token().equals(token))
        .map(SafeProcess::comm)
        .findFirst()
        .orElse("?");
  }

  private static SafeProcess processNamed(CaptureTest.RecordingSink sink, String comm) {
    return sink.processes.stream()
        .filter(p -> p.comm().equals(comm))
        .findFirst()
        .orElseThrow(() -> new AssertionError(comm + " not announced: " + sink.processes));
  }

  private static List<SafeEvent> tcpEvents(CaptureTest.RecordingSink sink) {
    return sink.events.stream()
        .filter(
            e ->
                e.type() == EventType.TCP_STATE
                    || e.type() == EventType.TCP_RESET_SENT
                    || e.type() == EventType.TCP_RESET_RECEIVED
                    || e.type() == EventType.TCP_RETRANSMIT)
        .toList();
  }

  private static String transition(SafeEvent e) {
    return e.type() == EventType.TCP_STATE
        ? e.tcpOldState() + ">" + e.tcpNewState()
        : e.type().columnValue();
  }

  private static Map<String, Long> byTransition(List<SafeEvent> tcp, Predicate<SafeEvent> which) {
    return tcp.stream()
        .filter(which)
        .collect(Collectors.groupingBy(e -> transition(e), TreeMap::new, Collectors.counting()));
  }

  private static long count(List<SafeEvent> tcp, String transition, Predicate<SafeEvent> which) {
    return tcp.stream().filter(which).filter(e -> transition.equals(transition(e))).count();
  }

  private static Predicate<SafeEvent> port(int localPort) {
    return e -> e.localPort() == localPort;
  }

  private static Predicate<SafeEvent> any() {
    return e -> true;
  }
}
