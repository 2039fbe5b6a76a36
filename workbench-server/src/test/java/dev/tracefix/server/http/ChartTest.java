package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.report.ReportFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Charts kept in cells' fences, on a real server over a real store: drawn from the whole kept
 * result (a line over time, a latency histogram in log buckets, a scatter of a million points
 * thinned); set and removed from the API with only the fence line changing and the file coming back
 * byte for byte; the HTML report shows the same chart as inline SVG that parses as XML.
 */
class ChartTest {
  private static final String NB = "charts.md";
  private static final String BASE = "/api/notebooks/" + NB;

  @TempDir Path dir;

  private static WorkbenchFixture start(Path dir, int bulk) throws Exception {
    WorkbenchFixture fixture = new WorkbenchFixture(dir, TraceStore.withBulk(bulk));
    try (InputStream in = ChartTest.class.getResourceAsStream("/views/" + NB)) {
      Files.copy(in, fixture.notebooksDir.resolve(NB));
    }
    return fixture;
  }

  @Test
  void aLineOverTimeAndALatencyHistogramAreDrawnFromTheWholeResult() throws Exception {
    try (WorkbenchFixture fixture = start(dir, 100_000)) {
      ApiClient api = new ApiClient(fixture);
      JsonNode line = api.run(NB, "per_second").get("chart");
      assertEquals("line", line.get("type").asText());
      assertEquals("time", line.get("xKind").asText());
      assertEquals(11, line.get("xs").size(), "10:00:00 .. 10:00:10");
      assertEquals(2, line.get("series").size());
      long calls = 0;
      for (JsonNode v : line.get("series").get(0)) {
        calls += v.asLong();
      }
      assertEquals(100_000 + TraceStore.KNOWN_EVENTS, calls);
      assertEquals(TraceStore.START_NS / 1_000_000, line.get("xs").get(0).asLong(), "epoch ms");

      JsonNode histogram = api.run(NB, "latency").get("chart");
      assertEquals("histogram", histogram.get("type").asText());
      long counted = 0;
      for (JsonNode v : histogram.get("series").get(0)) {
        counted += v.asLong();
      }
      // four instants have no duration: the note says so, the rest are counted
      assertEquals(100_000 + TraceStore.KNOWN_EVENTS - 3, counted);
      assertTrue(
          histogram.get("note").asText().startsWith("3 of "), histogram.get("note").asText());
      // buckets of a quarter decade: 1000 ns falls in [1000, 1778)
      assertEquals(1000.0, histogram.get("xs").get(0).asDouble(), 1e-6);
      assertEquals("1k–1.78k", histogram.get("labels").get(0).asText());
    }
  }

  @Test
  void aMillionPointsAreThinnedToABoundedChart() throws Exception {
    try (WorkbenchFixture fixture = start(dir, 1_000_000)) {
      JsonNode scatter = new ApiClient(fixture).run(NB, "every_call").get("chart");
      assertTrue(scatter.get("xs").size() <= 2000, scatter.get("xs").size() + " points");
      assertTrue(scatter.get("xs").size() > 1000);
      assertTrue(
          scatter.get("note").asText().contains("of 1000007 rows drawn"),
          scatter.get("note").asText());
    }
  }

  @Test
  void settingAChartChangesOnlyTheFenceAndRemovingItRestoresTheFile() throws Exception {
    try (WorkbenchFixture fixture = start(dir, 1000)) {
      ApiClient api = new ApiClient(fixture);
      String before = fixture.notebookText(NB);
      api.run(NB, "by_syscall");
      HttpResponse<String> set =
          put(
              fixture,
              BASE + "/cells/by_syscall/chart",
              "{\"type\":\"bar\",\"x\":\"call\",\"y\":[\"calls\"]}");
      assertEquals(200, set.statusCode(), set.body());
      String after = fixture.notebookText(NB);
      assertEquals(
          before.replace(
              "```sql id=by_syscall\n", "```sql id=by_syscall chart=bar x=call y=calls\n"),
          after);
      JsonNode cell = cell(ApiClient.json(set), "by_syscall");
      assertFalse(cell.get("stale").asBoolean(), "a chart does not change the result");
      JsonNode chart = cell.get("output").get("chart");
      assertEquals("category", chart.get("xKind").asText());
      assertEquals("write", chart.get("labels").get(0).asText(), "ordered as the result: " + chart);

      HttpResponse<String> removed =
          put(fixture, BASE + "/cells/by_syscall/chart", "{\"type\":\"none\"}");
      assertEquals(200, removed.statusCode(), removed.body());
      assertEquals(before, fixture.notebookText(NB), "byte for byte");
      assertTrue(cell(ApiClient.json(removed), "by_syscall").get("output").get("chart").isNull());

      HttpResponse<String> pie =
          put(fixture, BASE + "/cells/by_syscall/chart", "{\"type\":\"pie\",\"x\":\"call\"}");
      assertEquals(400, pie.statusCode());
      assertTrue(pie.body().contains("histogram"), "names the types: " + pie.body());
      HttpResponse<String> noColumn =
          put(
              fixture,
              BASE + "/cells/by_syscall/chart",
              "{\"type\":\"bar\",\"x\":\"nope\",\"y\":[\"calls\"]}");
      JsonNode failed = cell(ApiClient.json(noColumn), "by_syscall").get("output").get("chart");
      assertTrue(failed.get("note").asText().contains("no column 'nope'"), failed.toString());
      assertEquals(0, failed.get("xs").size());
    }
  }

  @Test
  void theHtmlReportShowsTheSameChartAsInlineSvg() throws Exception {
    try (WorkbenchFixture fixture = start(dir, 1000)) {
      ApiClient api = new ApiClient(fixture);
      JsonNode line = api.run(NB, "per_second").get("chart");
      api.run(NB, "latency");
      NotebookReports reports =
          new NotebookReports(
              fixture.workspace,
              NotebookDatabases.unlocked(fixture.storeFile)::connect,
              () -> KeyStore.current(dir.resolve("keys")));
      String html = reports.render(NB, ReportFormat.HTML);
      assertFalse(html.contains("<script"), "no scripts in the export");
      Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
      assertTrue(svg.find(), "an inline SVG");
      String first = svg.group();
      Document doc =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(first.getBytes(StandardCharsets.UTF_8)));
      assertEquals("svg", doc.getDocumentElement().getNodeName());
      assertTrue(first.contains("chart-line"));
      assertEquals(2, doc.getElementsByTagName("polyline").getLength(), "calls and errors");
      String points =
          doc.getElementsByTagName("polyline")
              .item(0)
              .getAttributes()
              .getNamedItem("points")
              .getNodeValue();
      assertEquals(line.get("xs").size(), points.trim().split(" ").length, "one vertex per point");
      assertTrue(svg.find(), "the histogram too");
      assertTrue(svg.group().contains("chart-histogram"));
    }
  }

  @Test
  void aChartTheFenceCannotAskForMakesTheNotebookMalformedAtItsLine() throws Exception {
    try (WorkbenchFixture fixture = start(dir, 0)) {
      Files.writeString(
          fixture.notebooksDir.resolve("bad.md"),
          "# Bad\n\n```sql id=a chart=pie x=call\nSELECT 1 AS call\n```\n\n```java chart=line x=a y=b\n1\n```\n");
      HttpResponse<String> r = new ApiClient(fixture).get("/api/notebooks/bad.md");
      assertEquals(422, r.statusCode(), r.body());
      assertTrue(r.body().contains("bad.md:3"), r.body());
      assertTrue(r.body().contains("chart='pie' is not a chart type"), r.body());
      Files.writeString(
          fixture.notebooksDir.resolve("bad.md"), "# Bad\n\n```java chart=line x=a y=b\n1\n```\n");
      HttpResponse<String> java = new ApiClient(fixture).get("/api/notebooks/bad.md");
      assertEquals(422, java.statusCode(), java.body());
      assertTrue(java.body().contains("draws a SQL cell's result"), java.body());
    }
  }

  private static JsonNode cell(JsonNode view, String id) {
    for (JsonNode block : view.get("blocks")) {
      if (block.hasNonNull("cell") && block.get("cell").get("id").asText().equals(id)) {
        return block.get("cell");
      }
    }
    throw new AssertionError("no cell " + id);
  }

  private static HttpResponse<String> put(WorkbenchFixture fixture, String path, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(fixture.base() + path))
                .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
