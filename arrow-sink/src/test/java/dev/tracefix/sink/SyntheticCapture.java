package dev.tracefix.sink;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A deterministic capture: the same seed always yields the same processes and events. */
record SyntheticCapture(
    String captureId, List<SafeProcess> processes, List<SafeEvent> events, CaptureSummary summary) {

  static final String KEY_ID = "k-2026-01";

  /** Errnos a network service meets, plus one outside the table to see the fallback name. */
  private static final int[] ERRNOS = {32, 104, 110, 9, 111, 11, 300};

  private static final String[] SYMBOLS = {"SSL_write", "SSL_read", "malloc", "handle_request"};

  private static final String[] SYSCALLS = {"read", "write", "futex", "epoll_wait", "connect"};

  /** In the order a connection goes through them: state i changes to state i + 1. */
  private static final String[] TCP_STATES = {
    "SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE"
  };

  static SyntheticCapture generate(String captureId, int eventCount, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<SafeProcess> processes = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      processes.add(
          new SafeProcess(
              "tok-" + captureId + "-" + p,
              p == 0 ? "workload" : "svc" + p,
              p % 2 == 0 ? "b1d" + p : null,
              "/sys.slice/svc" + p + ".service",
              "exe-" + p,
              KEY_ID));
    }
    long startNs = 1_767_225_600_000_000_000L + seed * 1_000_000L; // 2026-01-01T00:00:00Z
    List<SafeEvent> events = new ArrayList<>(eventCount);
    for (int i = 0; i < eventCount; i++) {
      long timeNs = startNs + i * 1_000L + random.nextInt(1_000);
      String token = processes.get(random.nextInt(processes.size())).token();
      int kind = random.nextInt(20);
      events.add(
          switch (kind) {
            case 0, 1 -> retransmit(timeNs, token, random);
            case 2, 3, 4 -> syscall(timeNs, token, random);
            case 5 -> tcp(timeNs, token, random);
            case 6 -> lifecycle(timeNs, token, random);
            case 7 -> uprobe(timeNs, token, random);
            default -> sendto(timeNs, token, random);
          });
    }
    Instant started = Instant.ofEpochSecond(0, startNs);
    Instant ended = Instant.ofEpochSecond(0, startNs + eventCount * 1_000L + 1_000);
    CaptureSummary summary =
        new CaptureSummary(
            captureId,
            started,
            ended,
            List.of("tracepoint/syscalls/sys_enter_sendto", "tracepoint/tcp/tcp_retransmit_skb"),
            eventCount,
            0,
            KEY_ID,
            0);
    return new SyntheticCapture(captureId, processes, events, summary);
  }

  private static SafeEvent sendto(long timeNs, String token, SplittableRandom random) {
    int errno = random.nextInt(20) == 0 ? ERRNOS[random.nextInt(ERRNOS.length)] : 0;
    // Setters in this order: the random draws, and so the generated data, must not change.
    return SafeEvent.builder(timeNs, EventType.SENDTO, token, KEY_ID)
        .durationNs(1_000 + random.nextInt(1_000_000))
        .bytes(errno != 0 ? 0 : random.nextInt(65_536))
        .errno(errno)
        .peerHash(random.nextInt(4) == 0 ? null : "peer-" + random.nextInt(50))
        .build();
  }

  private static SafeEvent retransmit(long timeNs, String token, SplittableRandom random) {
    return SafeEvent.builder(timeNs, EventType.TCP_RETRANSMIT, token, KEY_ID)
        .peerHash("peer-" + random.nextInt(50))
        .build();
  }

  private static SafeEvent syscall(long timeNs, String token, SplittableRandom random) {
    String name = SYSCALLS[random.nextInt(SYSCALLS.length)];
    int errno = random.nextInt(20) == 0 ? ERRNOS[random.nextInt(ERRNOS.length)] : 0;
    return SafeEvent.builder(timeNs, EventType.SYSCALL, token, KEY_ID)
        .durationNs(500 + random.nextInt(2_000_000))
        .bytes(errno != 0 || name.equals("futex") ? 0 : random.nextInt(8_192))
        .errno(errno)
        .syscall(name)
        .fd(name.equals("futex") ? -1 : 3 + random.nextInt(60))
        .build();
  }

  /** A state change or a reset of one of 40 connections; the policy may null a hash. */
  private static SafeEvent tcp(long timeNs, String token, SplittableRandom random) {
    int connection = random.nextInt(40);
    int kind = random.nextInt(6);
    EventType type =
        kind == 0
            ? EventType.TCP_RESET_SENT
            : kind == 1 ? EventType.TCP_RESET_RECEIVED : EventType.TCP_STATE;
    int state = random.nextInt(TCP_STATES.length - 1);
    boolean connect = type == EventType.TCP_STATE && state == 0;
    return SafeEvent.builder(timeNs, type, token, KEY_ID)
        .durationNs(connect ? 20_000 + random.nextInt(500_000) : 0)
        .peerHash("peer-" + connection % 50)
        .connectionHash(random.nextInt(10) == 0 ? null : "conn-" + connection)
        .tcpOldState(TCP_STATES[state])
        .tcpNewState(type == EventType.TCP_STATE ? TCP_STATES[state + 1] : null)
        .family(connection % 3 == 0 ? 10 : 2)
        .protocol(6)
        .localPort(32_768 + connection)
        .remotePort(connection % 2 == 0 ? 443 : 8080)
        .localHash("local-" + connection)
        .build();
  }

  private static SafeEvent lifecycle(long timeNs, String token, SplittableRandom random) {
    boolean exit = random.nextBoolean();
    EventType type = exit ? EventType.PROCESS_EXIT : EventType.PROCESS_EXEC;
    return SafeEvent.builder(timeNs, type, token, KEY_ID)
        .exitStatus(exit ? random.nextInt(4) << 8 : -1)
        .build();
  }

  /** A uprobe call: the return value is 0, as the default policy leaves it (it drops it). */
  private static SafeEvent uprobe(long timeNs, String token, SplittableRandom random) {
    return SafeEvent.builder(timeNs, EventType.UPROBE, token, KEY_ID)
        .durationNs(200 + random.nextInt(100_000))
        .symbol(random.nextInt(10) == 0 ? null : SYMBOLS[random.nextInt(SYMBOLS.length)])
        .binaryHash("e_bin" + random.nextInt(3))
        .build();
  }

  /** Delivers the capture the way capture does: processes first, events in chunks. */
  void writeTo(CaptureWriter writer, int chunk) {
    processes.forEach(writer::onProcess);
    for (int from = 0; from < events.size(); from += chunk) {
      writer.onEvents(List.copyOf(events.subList(from, Math.min(events.size(), from + chunk))));
    }
  }
}
