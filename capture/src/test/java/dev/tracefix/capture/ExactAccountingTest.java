package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ring buffer far too small, a consumer that stops reading, a producer that floods: every record
 * is still accounted for, type by type, and the producer is never held up.
 */
class ExactAccountingTest {
  private static final int WRITES = 20_000;
  private static final int SENDTOS = 7_000;
  private static final int ONE_PAGE_RING = 4096;

  @TempDir Path dir;

  /**
   * Stops the consumer at its first batch until the workload has made all its calls: while it
   * waits, the one-page ring (about 30 records) fills and every further record is dropped.
   */
  static final class PausingSink implements SafeEventSink {
    final CaptureTest.RecordingSink recorded = new CaptureTest.RecordingSink();
    private final Path doneFile;
    private boolean paused;

    PausingSink(Path doneFile) {
      this.doneFile = doneFile;
    }

    @Override
    public void onProcess(SafeProcess process) {
      recorded.onProcess(process);
    }

    @Override
    public void onEvents(List<SafeEvent> batch) {
      if (!paused) {
        paused = true;
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(doneFile) && System.nanoTime() < giveUp) {
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      recorded.onEvents(batch);
    }
  }

  @Test
  void producedEqualsStoredPlusDroppedForEveryTypeAndTheProducerNeverStalls() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("flood.c");
    Files.copy(getClass().getResourceAsStream("/capture/flood_workload.c"), source);
    Path workload = NativeBuild.gcc(source, dir.resolve("flood"));
    Path done = dir.resolve("done");
    PausingSink sink = new PausingSink(done);

    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofSeconds(120),
                OptionalInt.empty(),
                List.of(workload.toString(), "" + WRITES, "" + SENDTOS, done.toString()),
                dir.resolve("keys"),
                ONE_PAGE_RING),
            sink);

    Map<String, TypeStats> byType =
        summary.stats().stream().collect(Collectors.toMap(TypeStats::type, Function.identity()));
    Map<EventType, Long> delivered =
        sink.recorded.events.stream()
            .collect(Collectors.groupingBy(SafeEvent::type, Collectors.counting()));
    System.out.printf(
        "flood through a %d-byte ring: %s; delivered %s; dropCount %d%n",
        ONE_PAGE_RING, summary.stats(), delivered, summary.dropCount());

    // The producer made every call and finished while the consumer was not reading.
    assertEquals(0, summary.commandExitCode(), "flood workload exit code");
    assertTrue(Files.exists(done), "the workload completed its calls");
    assertEquals(WRITES, byType.get("socket_write").produced(), "socket_write produced");
    assertEquals(SENDTOS, byType.get("sendto").produced(), "sendto produced");
    assertEquals(1, byType.get("exec").produced(), "exec produced");
    for (TypeStats t : summary.stats()) {
      assertTrue(t.balanced(), () -> "produced != stored + dropped for " + t);
    }
    assertEquals(
        byType.get("socket_write").stored(), delivered.getOrDefault(EventType.SOCKET_WRITE, 0L));
    assertEquals(byType.get("sendto").stored(), delivered.getOrDefault(EventType.SENDTO, 0L));
    // About 30 records fit in one page while the consumer waits; tens of thousands were produced.
    assertTrue(
        byType.get("socket_write").dropped() + byType.get("sendto").dropped() > 0,
        "the ring overflowed");
    assertEquals(summary.stats().stream().mapToLong(TypeStats::dropped).sum(), summary.dropCount());
    assertEquals(sink.recorded.events.size(), summary.eventCount());
  }

  @Test
  void aRingBufferSizeThatIsNotAPowerOfTwoIsRefusedBeforeAnythingLoads() {
    CaptureException e =
        assertThrows(
            CaptureException.class,
            () ->
                Capture.run(
                    new CaptureConfig(
                        Duration.ofSeconds(1), OptionalInt.empty(), List.of("true"), dir, 5000),
                    new CaptureTest.RecordingSink()));
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertTrue(e.getMessage().contains("power of two"), e.getMessage());
  }
}
