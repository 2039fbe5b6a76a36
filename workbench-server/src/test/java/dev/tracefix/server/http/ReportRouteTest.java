package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.run.FileNotebookWorkspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRouteTest {
  private static final String TOKEN = "test-token_0123456789";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  private HttpResponse<String> send(String method, String url) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + TOKEN)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rendersTheSessionsCurrentOutputsWithoutRunningTheRest() throws Exception {
    Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
    Files.writeString(
        notebooks.resolve("nb.md"),
        "# Route\n\nAsk dave@example.com.\n\n```sql name=who\nSELECT '<i>x</i>' AS v\n```\n\n"
            + "```sql name=later\nSELECT 2\n```\n");
    Path file = dir.resolve("t.duckdb");
    try (DuckDBConnection db =
            (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement s = db.createStatement()) {
      s.execute("CREATE TABLE captures(capture_id VARCHAR, started_at TIMESTAMP)");
    }
    NotebookDatabases databases = NotebookDatabases.unlocked(file);
    try (FileNotebookWorkspace workspace =
        new FileNotebookWorkspace(notebooks, databases, dir, Map.of())) {
      NotebookReports reports =
          new NotebookReports(
              workspace, databases::connect, () -> KeyStore.current(dir.resolve("keys")));
      try (WorkbenchServer server = WorkbenchServer.start(workspace, 0, TOKEN, reports)) {
        String base = "http://127.0.0.1:" + server.port() + "/api/notebooks/nb.md";
        assertEquals(200, send("POST", base + "/cells/who/run").statusCode());

        HttpResponse<String> html = send("GET", base + "/report?format=html");
        assertEquals(200, html.statusCode(), html.body());
        assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(html.body().contains("&lt;i&gt;x&lt;/i&gt;"), html.body());
        assertFalse(html.body().contains("dave@example.com"), html.body());
        assertTrue(html.body().contains("Not run."), "the later cell did not run");

        HttpResponse<String> md = send("GET", base + "/report?format=md");
        assertEquals(200, md.statusCode(), md.body());
        assertTrue(md.headers().firstValue("Content-Type").orElse("").startsWith("text/markdown"));
        assertTrue(md.body().startsWith("# Route\n"), md.body());

        assertEquals(400, send("GET", base + "/report?format=pdf").statusCode());
        assertEquals(
            404,
            send("GET", "http://127.0.0.1:" + server.port() + "/api/notebooks/no.md/report")
                .statusCode());
      }
    }
  }
}
