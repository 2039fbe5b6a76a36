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
      boolean retransmit = random.nextInt(10) == 0;
      int errno = random.nextInt(20) == 0 ? ERRNOS[random.nextInt(ERRNOS.length)] : 0;
      events.add(
          new SafeEvent(
              startNs + i * 1_000L + random.nextInt(1_000),
              retransmit ? EventType.TCP_RETRANSMIT : EventType.SENDTO,
              processes.get(random.nextInt(processes.size())).token(),
              retransmit ? 0 : 1_000 + random.nextInt(1_000_000),
              errno != 0 || retransmit ? 0 : random.nextInt(65_536),
              retransmit ? 0 : errno,
              random.nextInt(4) == 0 ? null : "peer-" + random.nextInt(50),
              KEY_ID));
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

  /** Delivers the capture the way capture does: processes first, events in chunks. */
  void writeTo(CaptureWriter writer, int chunk) {
    processes.forEach(writer::onProcess);
    for (int from = 0; from < events.size(); from += chunk) {
      writer.onEvents(List.copyOf(events.subList(from, Math.min(events.size(), from + chunk))));
    }
  }
}
