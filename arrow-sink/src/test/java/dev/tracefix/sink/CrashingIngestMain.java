package dev.tracefix.sink;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that ingests until it is killed, for {@link SpoolCrashTest}. Prints {@code ready} once
 * capturing and one {@code ack} line per fsynced segment: {@code ack <id> <table> <rows> <minNs>
 * <maxNs>}. Event i of the capture has time {@code base + i}, so every batch is a time range.
 *
 * <p>Arguments: database file, capture id.
 */
public final class CrashingIngestMain {
  static final long BASE_NS = 1_767_225_600_000_000_000L;

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    // Events are dated January 2026: keep them whatever today is.
    try (org.apache.arrow.memory.RootAllocator root = new org.apache.arrow.memory.RootAllocator();
        EventStore store =
            EventStore.open(
                Path.of(args[0]), root, StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL))) {
      IngestOptions options =
          IngestOptions.DEFAULT
              .withBatchRows(2_000)
              .withMaxBatchDelay(Duration.ofMillis(50))
              .withOnDurable(
                  ack -> {
                    synchronized (out) {
                      out.println(
                          "ack "
                              + ack.segmentId()
                              + " "
                              + ack.table()
                              + " "
                              + ack.rows()
                              + " "
                              + ack.minTimeNs()
                              + " "
                              + ack.maxTimeNs());
                      out.flush();
                    }
                  });
      CaptureWriter writer = store.beginCapture(args[1], "crash-host", options);
      for (int p = 0; p < 3; p++) {
        writer.onProcess(new SafeProcess("tok-" + p, "svc" + p, null, "/svc.slice", "exe", "k"));
      }
      synchronized (out) {
        out.println("ready");
        out.flush();
      }
      long i = 0;
      while (true) {
        List<SafeEvent> chunk = new ArrayList<>(500);
        for (int n = 0; n < 500; n++, i++) {
          EventType type = i % 7 == 0 ? EventType.TCP_RETRANSMIT : EventType.SENDTO;
          chunk.add(
              SafeEvent.builder(BASE_NS + i, type, "tok-" + (i % 3), "k")
                  .durationNs(1_000 + i % 5_000)
                  .bytes(i % 1_500)
                  .errno(i % 50 == 0 ? 104 : 0)
                  .peerHash("peer-" + (i % 11))
                  .build());
        }
        writer.onEvents(chunk);
        Thread.sleep(1);
      }
    }
  }

  private CrashingIngestMain() {}
}
