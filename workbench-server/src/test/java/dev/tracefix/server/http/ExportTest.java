package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.notebook.NbformatSchema;
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
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports as a person shares them: the .ipynb with the session's outputs validates against nbformat
 * 4.5, and the static HTML embeds results that look like markup as text, under a
 * Content-Security-Policy that lets no script run; the app's own pages get a policy too.
 */
class ExportTest {
  private static final String TOKEN = "test-token_0123456789";
  private static final String MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  private HttpResponse<String> send(String method, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + TOKEN)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void exportsCarryTheOutputsAndRunNoScript() throws Exception {
    Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
    Files.writeString(
        notebooks.resolve("nb.md"),
        "# Export\n\n"
            + MARKUP
            + "\n\n```sql name=evil\nSELECT '"
            + MARKUP
            + "' AS v, 42 AS n\n```\n");
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
        String root = "http://127.0.0.1:" + server.port();
        String base = root + "/api/notebooks/nb.md";
        assertEquals(200, send("POST", base + "/cells/evil/run").statusCode());

        HttpResponse<String> ipynb = send("GET", base + "/export.ipynb");
        assertEquals(200, ipynb.statusCode(), ipynb.body());
        JsonNode nb = new ObjectMapper().readTree(ipynb.body());
        assertEquals(List.of(), NbformatSchema.violations(nb));
        assertTrue(ipynb.body().contains("42"), "the output is embedded");

        HttpResponse<String> html = send("GET", base + "/report?format=html");
        assertEquals(200, html.statusCode(), html.body());
        assertEquals(
            SecurityHeaders.DOCUMENT_POLICY,
            html.headers().firstValue("Content-Security-Policy").orElse(""));
        assertFalse(html.body().toLowerCase().contains("<script"), html.body());
        assertFalse(html.body().toLowerCase().contains("<img src=x"), html.body());
        assertTrue(html.body().contains("&lt;script&gt;"), "the markup shows as text");

        HttpResponse<String> page = send("GET", root + "/");
        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-eval"), policy);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
      }
    }
  }
}
