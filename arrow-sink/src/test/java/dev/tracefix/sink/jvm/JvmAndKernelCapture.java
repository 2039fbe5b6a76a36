package dev.tracefix.sink.jvm;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A generated capture holding both kernel rows and JVM rows of one process, one situation per
 * thread, for the saved {@code jvm-*} queries to find: a refused connect beside its exception, a
 * write during a GC pause, a slow Java socket read that waited in a kernel read, a monitor enter
 * the thread spent off the CPU.
 */
public final class JvmAndKernelCapture {
  private static final long MS = 1_000_000L;

  private JvmAndKernelCapture() {}

  public static void write(EventStore store, BufferAllocator allocator, String captureId) {
    long t0 = 1_767_225_700_000_000_000L;
    String p = "p_jvm";
    try (CaptureWriter writer = store.beginCapture(captureId, "node-jvm");
        JvmEventWriter jvm = new JvmEventWriter(store.connect(), allocator, writer)) {
      writer.onProcess(new SafeProcess(p, "java", null, "/svc.slice/orders", "e_jvm", "k1"));
      List<SafeEvent> kernel =
          List.of(
              SafeEvent.builder(t0 + MS, EventType.SYSCALL, p, "k1")
                  .syscall("connect")
                  .errno(111)
                  .durationNs(40_000)
                  .threadToken("t_connector")
                  .build(),
              SafeEvent.builder(t0 + 12 * MS, EventType.SYSCALL, p, "k1")
                  .syscall("write")
                  .durationNs(3 * MS)
                  .threadToken("t_io")
                  .build(),
              SafeEvent.builder(t0 + 50 * MS, EventType.SYSCALL, p, "k1")
                  .syscall("write")
                  .durationNs(20_000)
                  .threadToken("t_io")
                  .build(),
              SafeEvent.builder(t0 + 29 * MS, EventType.SYSCALL, p, "k1")
                  .syscall("read")
                  .bytes(1)
                  .durationNs(28 * MS)
                  .threadToken("t_reader")
                  .build(),
              SafeEvent.builder(t0 + 70 * MS, EventType.OFF_CPU, p, "k1")
                  .durationNs(25 * MS)
                  .threadToken("t_contender")
                  .waitState("sleeping")
                  .build());
      writer.onEvents(kernel);
      jvm.onJvmEvents(
          List.of(
              SafeJvmEvent.builder(t0 + 2 * MS, JvmEventType.EXCEPTION_THROW, p, "k1")
                  .thread("t_connector", "j_1", "connector")
                  .objectClass("java.net.ConnectException")
                  .message("Connection refused")
                  .build(),
              SafeJvmEvent.builder(t0 + 10 * MS, JvmEventType.GC_PHASE_PAUSE, p, "k1")
                  .gc("GC Pause", null, 1)
                  .durationNs(5 * MS)
                  .build(),
              SafeJvmEvent.builder(t0 + MS / 2, JvmEventType.SOCKET_READ, p, "k1")
                  .thread("t_reader", "j_2", "reader")
                  .peer("a_peer", "h_host", 5432)
                  .bytes(1)
                  .durationNs(29 * MS)
                  .build(),
              SafeJvmEvent.builder(t0 + 44 * MS, JvmEventType.MONITOR_ENTER, p, "k1")
                  .thread("t_contender", "j_3", "contender")
                  .objectClass("Orders$Lock")
                  .monitorAddress("h_monitor")
                  .durationNs(27 * MS)
                  .build()));
      jvm.commit();
      writer.finish(
          new CaptureSummary(
              captureId,
              Instant.ofEpochSecond(1_767_225_700),
              Instant.ofEpochSecond(1_767_225_701),
              List.of(),
              kernel.size(),
              0,
              "k1",
              -1,
              List.of()));
    }
  }
}
