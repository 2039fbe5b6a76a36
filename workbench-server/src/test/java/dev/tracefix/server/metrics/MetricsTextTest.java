package dev.tracefix.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.LiveStats;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.sink.CaptureWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTextTest {
  private static final LiveStats STATS =
      new LiveStats(
          Instant.parse("2026-01-02T03:04:05Z"),
          List.of(new TypeStats("syscall", 120, 100, 20, 0, 6), new TypeStats("exec", 3, 3, 0)),
          97,
          1.25,
          123_456_789,
          45_678_901,
          true);

  @Test
  void everyMetricHasOneHelpAndOneTypeLineBeforeItsSamples() {
    List<String> lines = MetricsText.render(STATS).lines().toList();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("# HELP ")) {
        String name = line.split(" ")[2];
        names.add(name);
        assertTrue(lines.get(i + 1).startsWith("# TYPE " + name + " "), lines.get(i + 1));
      } else if (!line.startsWith("#")) {
        String name = line.split("[{ ]")[0];
        assertEquals(names.getLast(), name, "a sample follows its own HELP/TYPE: " + line);
      }
    }
    assertEquals(names.stream().distinct().toList(), names, "each metric is described once");
    assertTrue(
        names.containsAll(
            List.of(
                "tracefix_events_produced_total", "tracefix_events_stored_total",
                "tracefix_events_dropped_total", "tracefix_agent_cpu_seconds_total",
                "tracefix_agent_resident_bytes", "tracefix_capture_running",
                "tracefix_spool_failing", "tracefix_spool_failed_events_total")),
        names.toString());
  }

  @Test
  void rendersPerTypeCountersAndAgentCostAsSamples() {
    String text = MetricsText.render(STATS);
    assertTrue(text.contains("# TYPE tracefix_events_produced_total counter\n"), text);
    assertTrue(text.contains("tracefix_events_produced_total{type=\"syscall\"} 120\n"), text);
    assertTrue(text.contains("tracefix_events_stored_total{type=\"syscall\"} 100\n"), text);
    assertTrue(text.contains("tracefix_stack_failures_total{type=\"syscall\"} 6\n"), text);
    assertTrue(text.contains("tracefix_events_dropped_total{type=\"syscall\"} 20\n"), text);
    assertTrue(text.contains("tracefix_events_produced_total{type=\"exec\"} 3\n"), text);
    assertTrue(text.contains("tracefix_events_delivered_total 97\n"), text);
    assertTrue(text.contains("tracefix_agent_cpu_seconds_total 1.250\n"), text);
    assertTrue(text.contains("# TYPE tracefix_agent_resident_bytes gauge\n"), text);
    assertTrue(text.contains("tracefix_agent_resident_bytes 123456789\n"), text);
    assertTrue(text.contains("tracefix_agent_heap_used_bytes 45678901\n"), text);
    assertTrue(text.contains("tracefix_capture_running 1\n"), text);
    assertTrue(text.endsWith("\n"), "the last line ends in a line feed");
  }

  @Test
  void aDetachedCaptureReportsNotRunning() {
    LiveStats last = new LiveStats(Instant.now(), STATS.types(), 97, 1.5, 1, 1, false);
    assertTrue(MetricsText.render(last).contains("tracefix_capture_running 0\n"));
  }

  @Test
  void rendersTheWritersBufferedBytesAndTheStoresMemory() {
    String text =
        MetricsText.render(
            STATS, new CaptureWriter.SpoolHealth(0, false, null, 5_242_880, 73_400_320));
    assertTrue(text.contains("# TYPE tracefix_agent_buffered_bytes gauge\n"), text);
    assertTrue(text.contains("tracefix_agent_buffered_bytes 5242880\n"), text);
    assertTrue(text.contains("tracefix_store_memory_bytes 73400320\n"), text);
    String unknown =
        MetricsText.render(STATS, new CaptureWriter.SpoolHealth(0, false, null, 0, -1));
    assertTrue(unknown.contains("tracefix_store_memory_bytes 0\n"), unknown);
  }

  @Test
  void beforeTheFirstSnapshotEveryMetricIsDescribedAndRunningIsOne() {
    String text = MetricsText.render(null);
    assertTrue(text.contains("# TYPE tracefix_events_produced_total counter\n"), text);
    assertTrue(text.contains("tracefix_capture_running 1\n"), text);
  }

  @Test
  void escapesBackslashQuoteAndLineFeedInLabelValues() {
    assertEquals("a\\\\b\\\"c\\nd", MetricsText.escapeLabelValue("a\\b\"c\nd"));
    LiveStats odd =
        new LiveStats(
            Instant.now(), List.of(new TypeStats("we\"ird\\type\n", 1, 1, 0)), 1, 0, 0, 0, true);
    assertTrue(
        MetricsText.render(odd)
            .contains("tracefix_events_produced_total{type=\"we\\\"ird\\\\type\\n\"} 1\n"));
  }

  @Test
  void escapesBackslashAndLineFeedButNotQuotesInHelp() {
    assertEquals("say \"x\" \\\\ then\\nmore", MetricsText.escapeHelp("say \"x\" \\ then\nmore"));
  }
}
