package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.notebook.NotebookParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved queries from the workbench: listed with their parameters, appended to a notebook as a SQL
 * cell whose parameters join the front matter, run with the defaults, then with a value set like
 * any notebook parameter.
 */
class SavedQueryCellTest {
  @TempDir Path dir;
  private WorkbenchFixture fixture;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    fixture = new WorkbenchFixture(dir);
    Path queries = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        queries.resolve("busy-peers.sql"),
        """
        -- title: peers with at least $min_bytes bytes retransmitted
        -- parameters: $min_bytes = 500, $label = 'it''s busy'
        -- description: per peer, total bytes, above a threshold
        SELECT peer, sum(bytes) AS total, $label AS label
        FROM retransmits
        GROUP BY peer
        HAVING sum(bytes) >= $min_bytes
        ORDER BY total DESC
        """);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(fixture.base() + path))
            .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSavedQueryBecomesACellWithItsParameters() throws Exception {
    JsonNode list = json.readTree(send("GET", "/api/queries", null).body());
    assertEquals("busy-peers", list.get(0).path("name").asText(), list.toString());
    assertEquals("500", list.get(0).path("parameters").path("min_bytes").asText());

    HttpResponse<String> inserted =
        send(
            "POST", "/api/notebooks/retransmits.md/cells/from-query", "{\"query\":\"busy-peers\"}");
    assertEquals(200, inserted.statusCode(), inserted.body());
    String file = fixture.notebookText("retransmits.md");
    assertTrue(file.startsWith("---\nparameters:\n  min_bytes: '500'\n"), file);
    assertEquals(
        Map.of("min_bytes", "500", "label", "it's busy"),
        NotebookParser.parse("retransmits.md", file).parameters());
    assertTrue(file.contains("```sql name=busy_peers\n"), file);

    String first = send("POST", "/api/notebooks/retransmits.md/cells/busy_peers/run", null).body();
    assertEquals(2, json.readTree(first).path("totalRows").asInt(), first);
    assertTrue(first.contains("it's busy"), first);

    send("PUT", "/api/notebooks/retransmits.md/parameters", "{\"min_bytes\":\"3000\"}");
    String again = send("POST", "/api/notebooks/retransmits.md/cells/busy_peers/run", null).body();
    assertEquals(1, json.readTree(again).path("totalRows").asInt(), again);

    HttpResponse<String> twice =
        send(
            "POST", "/api/notebooks/retransmits.md/cells/from-query", "{\"query\":\"busy-peers\"}");
    assertTrue(fixture.notebookText("retransmits.md").contains("name=busy_peers_2"), twice.body());
    assertEquals(
        404,
        send("POST", "/api/notebooks/retransmits.md/cells/from-query", "{\"query\":\"nope\"}")
            .statusCode());
    assertEquals(
        400, send("POST", "/api/notebooks/retransmits.md/cells/from-query", "{}").statusCode());
  }
}
