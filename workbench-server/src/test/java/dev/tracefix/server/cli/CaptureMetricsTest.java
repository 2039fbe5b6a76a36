package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code tracefix capture --metrics 0} on a workload and scrapes {@code /metrics} over HTTP
 * while the capture runs; the scrapes must agree with what the capture finally reports.
 */
class CaptureMetricsTest {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-z_]+)(\\{type=\"([a-z_]+)\"\\})? ([0-9.]+)$");
  private static final Pattern SUMMARY_LINE =
      Pattern.compile("^  ([a-z_]+): produced (\\d+), stored (\\d+), dropped (\\d+)$");

  @TempDir Path dir;

  @Test
  void scrapesDuringTheCaptureRiseAndNeverExceedTheFinalSummary() throws Exception {
    CliProcess.assumeKernelCapture();
    Path stop = dir.resolve("stop");
    Path db = dir.resolve("metrics.duckdb");
    // Reads and writes until the test has scraped enough, then exits and so ends the capture.
    String workload = "while [ ! -e " + stop + " ]; do head -c 64 /proc/version > /dev/null; done";
    List<Map<String, Double>> scrapes = new ArrayList<>();
    try (CliProcess cli =
        CliProcess.start(
            dir,
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--duration",
            "120s",
            "--metrics",
            "0",
            "--probes",
            "full",
            "--",
            "sh",
            "-c",
            workload)) {
      String urlLine = cli.awaitErrLine(l -> l.contains("metrics at http://"), "the metrics URL");
      URI url = URI.create(urlLine.substring(urlLine.indexOf("http://")).strip());
      cli.awaitErrLine(l -> l.contains("probes attached"), "that probes are attached");
      HttpClient http = HttpClient.newHttpClient();
      // Scrape until three scrapes show events, each at least a snapshot (a second) apart.
      while (scrapes.size() < 3) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(
            response
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("text/plain; version=0.0.4"),
            response.headers().toString());
        Map<String, Double> samples = parse(response.body());
        assertEquals(1.0, samples.get("tracefix_capture_running"), response.body());
        if (samples.keySet().stream().anyMatch(k -> k.startsWith("tracefix_events_produced_total{"))
            && (scrapes.isEmpty() || !samples.equals(scrapes.getLast()))) {
          scrapes.add(samples);
        }
        Thread.sleep(300); // pacing between scrapes, not an assertion
      }
      Files.createFile(stop);
      assertEquals(0, cli.awaitExit(), cli.err());

      for (int i = 1; i < scrapes.size(); i++) {
        for (var e : scrapes.get(i - 1).entrySet()) {
          if (e.getKey().contains("_total")) {
            double now = scrapes.get(i).getOrDefault(e.getKey(), -1.0);
            assertTrue(
                now >= e.getValue(), e.getKey() + " fell from " + e.getValue() + " to " + now);
          }
        }
      }
      Map<String, long[]> summary = new LinkedHashMap<>();
      for (String line : cli.out().lines().toList()) {
        Matcher m = SUMMARY_LINE.matcher(line);
        if (m.matches()) {
          summary.put(
              m.group(1),
              new long[] {
                Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))
              });
        }
      }
      assertTrue(summary.containsKey("syscall"), cli.out());
      Map<String, Double> last = scrapes.getLast();
      System.out.println("last scrape: " + last);
      System.out.println("summary:\n" + cli.out());
      for (var e : summary.entrySet()) {
        long[] s = e.getValue();
        assertEquals(s[0], s[1] + s[2], e.getKey() + ": produced = stored + dropped");
        String type = "{type=\"" + e.getKey() + "\"}";
        assertTrue(last.getOrDefault("tracefix_events_produced_total" + type, 0.0) <= s[0], type);
        assertTrue(last.getOrDefault("tracefix_events_stored_total" + type, 0.0) <= s[1], type);
        assertTrue(last.getOrDefault("tracefix_events_dropped_total" + type, 0.0) <= s[2], type);
      }
      assertTrue(last.get("tracefix_agent_cpu_seconds_total") > 0, last.toString());
      assertTrue(last.get("tracefix_agent_resident_bytes") > 0, last.toString());
      // DuckDB holds the store's tables, indexes and inserted blocks by then.
      assertTrue(last.get("tracefix_store_memory_bytes") > 0, last.toString());
      assertTrue(last.containsKey("tracefix_agent_buffered_bytes"), last.toString());

      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
          ResultSet rs =
              c.createStatement()
                  .executeQuery("SELECT type, produced, stored, dropped FROM capture_stats")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
          assertEquals(
              rs.getLong(2),
              rs.getLong(3) + rs.getLong(4),
              rs.getString(1) + " in capture_stats: produced = stored + dropped");
        }
        assertTrue(rows > 0, "capture_stats has rows");
      }
    }
  }

  /** {@code name} or {@code name{type="x"}} to value; HELP/TYPE lines checked for each name. */
  private static Map<String, Double> parse(String body) {
    Map<String, Double> samples = new HashMap<>();
    List<String> described = new ArrayList<>();
    for (String line : body.lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        described.add(line.split(" ")[2]);
        continue;
      }
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "not a sample line: " + line);
      assertTrue(described.contains(m.group(1)), "no # TYPE before " + line);
      samples.put(
          m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(4)));
    }
    return samples;
  }
}
