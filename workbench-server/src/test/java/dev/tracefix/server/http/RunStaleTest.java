package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/notebooks/{name}/run-stale}: after an edit, the edited cell and the cells that
 * read its result run again in dependency order (across SQL and Java cells); a cycle of named
 * results, a result no cell names and a cell whose upstream failed are cell errors.
 */
class RunStaleTest {
  private static final String CHAIN =
      """
      # Chain

      ```java id=reader
      ((Number) result("b").get(0).get("y")).longValue() * 10
      ```

      ```sql name=b
      SELECT x + 1 AS y FROM a
      ```

      ```sql name=a
      SELECT 1 AS x
      ```

      ```sql id=apart
      SELECT 'untouched' AS s
      ```

      ```java id=lost
      result("nope").size()
      ```
      """;

  private static final String LOOP =
      """
      # Loop

      ```sql name=p
      SELECT * FROM q
      ```

      ```sql name=q
      SELECT * FROM p
      ```
      """;

  @TempDir Path dir;
  private WorkbenchFixture fixture;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
    fixture = new WorkbenchFixture(dir);
    Files.writeString(fixture.notebooksDir.resolve("chain.md"), CHAIN);
    Files.writeString(fixture.notebooksDir.resolve("loop.md"), LOOP);
    api = new ApiClient(fixture);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private void edit(String notebook, String cell, String source) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            fixture.base() + "/api/notebooks/" + notebook + "/cells/" + cell))
                    .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"source\": \"" + source.replace("\"", "\\\"") + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
  }

  /** Cell id → its output, from a notebook view. */
  private static Map<String, JsonNode> outputs(JsonNode view) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode block : view.path("blocks")) {
      JsonNode cell = block.path("cell");
      if (!cell.isMissingNode() && !cell.isNull()) {
        out.put(cell.path("id").asText(), cell);
      }
    }
    return out;
  }

  @Test
  void runStaleRunsTheEditedCellAndItsReadersInDependencyOrder() throws Exception {
    // Nothing ran yet: the edited reader's inputs have no output, so run-stale runs them first.
    edit("chain.md", "reader", "((Number) result(\"b\").get(0).get(\"y\")).longValue() * 10 + 0");
    Map<String, JsonNode> first =
        outputs(ApiClient.json(api.post("/api/notebooks/chain.md/run-stale")));
    assertEquals("20", first.get("reader").path("output").path("text").asText(), first.toString());

    edit("chain.md", "a", "SELECT 4 AS x");
    Map<String, JsonNode> stale = outputs(ApiClient.json(api.get("/api/notebooks/chain.md")));
    assertTrue(stale.get("a").path("stale").asBoolean());
    assertTrue(stale.get("b").path("stale").asBoolean());
    assertTrue(stale.get("reader").path("stale").asBoolean());
    assertFalse(stale.get("apart").path("stale").asBoolean());

    // File order is reader, b, a: only dependency order gives 50.
    Map<String, JsonNode> ran =
        outputs(ApiClient.json(api.post("/api/notebooks/chain.md/run-stale")));
    assertEquals("50", ran.get("reader").path("output").path("text").asText(), ran.toString());
    assertEquals(5, ran.get("b").path("output").path("rows").path(0).path(0).asInt());
    assertTrue(ran.values().stream().noneMatch(c -> c.path("stale").asBoolean()), ran.toString());
    assertTrue(ran.get("apart").path("output").isNull(), "run-stale left the unrelated cell alone");
  }

  @Test
  void aCellWhoseUpstreamFailedIsNotRunAndSaysWhy() throws Exception {
    api.post("/api/notebooks/chain.md/run-all");
    edit("chain.md", "a", "SELEC 4 AS x");
    Map<String, JsonNode> ran =
        outputs(ApiClient.json(api.post("/api/notebooks/chain.md/run-stale")));
    assertEquals("sql", ran.get("a").path("output").path("errorKind").asText());
    JsonNode b = ran.get("b").path("output");
    assertEquals("dependency", b.path("errorKind").asText(), b.toString());
    assertTrue(
        b.path("message").asText().contains("cell 'a', whose result this cell reads, failed"),
        b.toString());
  }

  @Test
  void aCycleOfNamedResultsIsACellErrorNotACrash() throws Exception {
    api.post("/api/notebooks/loop.md/run-all");
    edit("loop.md", "p", "SELECT * FROM q -- edited");
    Map<String, JsonNode> ran =
        outputs(ApiClient.json(api.post("/api/notebooks/loop.md/run-stale")));
    for (String id : new String[] {"p", "q"}) {
      JsonNode out = ran.get(id).path("output");
      assertEquals("dependency", out.path("errorKind").asText(), out.toString());
      assertTrue(
          out.path("message").asText().startsWith("cycle of named results: "), out.toString());
    }
    assertEquals(200, api.get("/api/notebooks").statusCode());
  }

  @Test
  void aJavaCellReadingAResultNoCellNamesIsACellError() throws Exception {
    edit("chain.md", "lost", "result(\"nope\").size() + 0");
    Map<String, JsonNode> ran =
        outputs(ApiClient.json(api.post("/api/notebooks/chain.md/run-stale")));
    JsonNode out = ran.get("lost").path("output");
    assertEquals("dependency", out.path("errorKind").asText(), out.toString());
    assertTrue(out.path("message").asText().contains("no cell is named nope"), out.toString());
  }
}
