package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor's routes against a real server, a real DuckDB store and notebook files on disk. */
class EditorRoutesTest {
  @TempDir Path tempDir;
  private WorkbenchFixture workbench;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
    workbench = new WorkbenchFixture(tempDir);
    api = new ApiClient(workbench);
  }

  @AfterEach
  void stop() throws Exception {
    workbench.close();
  }

  private JsonNode relation(JsonNode catalog, String name) {
    for (JsonNode r : catalog.get("relations")) {
      if (r.get("name").asText().equals(name)) {
        return r;
      }
    }
    return null;
  }

  @Test
  void theCatalogListsStoreTablesNamedResultsColumnsAndFunctionsLive() {
    JsonNode before = ApiClient.json(api.get("/api/notebooks/retransmits.md/catalog"));
    JsonNode retransmits = relation(before, "retransmits");
    assertEquals("table", retransmits.get("kind").asText());
    assertEquals("store", retransmits.get("schema").asText(), "as SQL qualifies it");
    assertEquals(6, retransmits.get("rows").asLong());
    List<String> columns = new ArrayList<>();
    retransmits
        .get("columns")
        .forEach(c -> columns.add(c.get("name").asText() + " " + c.get("type").asText()));
    assertEquals(List.of("ts BIGINT", "peer VARCHAR", "bytes INTEGER"), columns);
    assertEquals(null, relation(before, "by_peer"), "no named result before the cell ran");
    List<String> functions = new ArrayList<>();
    before.get("functions").forEach(f -> functions.add(f.asText()));
    assertTrue(functions.contains("approx_count_distinct"), "functions: " + functions.size());
    assertTrue(functions.contains("read_parquet"));

    api.run("retransmits.md", "by_peer");
    JsonNode after = ApiClient.json(api.get("/api/notebooks/retransmits.md/catalog"));
    JsonNode byPeer = relation(after, "by_peer");
    assertEquals("result", byPeer.get("kind").asText());
    assertEquals("scratch", byPeer.get("schema").asText());
    assertEquals(3, byPeer.get("rows").asLong());
    assertEquals("retx", byPeer.get("columns").get(1).get("name").asText());
    after
        .get("relations")
        .forEach(r -> assertFalse(r.get("schema").asText().startsWith("tracefix_"), r.toString()));
  }

  @Test
  void blockEditsInsertConvertAndDeleteWhileOtherCellsKeepTheirBytes() {
    String original = workbench.notebookText("retransmits.md");
    int blocks = ApiClient.json(api.get("/api/notebooks/retransmits.md")).get("blocks").size();

    JsonNode inserted =
        ApiClient.json(
            api.post(
                "/api/notebooks/retransmits.md/blocks",
                "{\"op\":\"insert\",\"index\":"
                    + blocks
                    + ",\"kind\":\"sql\",\"source\":\"select 1 as one\",\"id\":\"one\"}"));
    assertEquals(blocks + 1, inserted.get("blocks").size());
    String text = workbench.notebookText("retransmits.md");
    assertTrue(text.startsWith(original), "cells before the insert keep their bytes");
    assertTrue(text.endsWith("```sql id=one\nselect 1 as one\n```\n"), text);
    assertEquals(List.of(List.of("1")), rows(api.run("retransmits.md", "one")));

    ApiClient.json(
        api.post(
            "/api/notebooks/retransmits.md/blocks",
            "{\"op\":\"delete\",\"index\":" + blocks + "}"));
    assertEquals(original, workbench.notebookText("retransmits.md"));

    api.post(
        "/api/notebooks/retransmits.md/blocks",
        "{\"op\":\"insert\",\"index\":"
            + blocks
            + ",\"kind\":\"sql\",\"source\":\"select 1 as one\"}");
    JsonNode converted =
        ApiClient.json(
            api.post(
                "/api/notebooks/retransmits.md/blocks",
                "{\"op\":\"convert\",\"index\":" + blocks + ",\"kind\":\"markdown\"}"));
    assertTrue(
        workbench.notebookText("retransmits.md").endsWith("depends on it\n\nselect 1 as one\n\n"));
    // Markdown has no boundary between two runs of prose: the new prose joins the one before.
    assertEquals(blocks, converted.get("blocks").size());

    String edited = workbench.notebookText("retransmits.md");
    HttpResponse<String> unknown =
        api.post("/api/notebooks/retransmits.md/blocks", "{\"op\":\"explode\",\"index\":0}");
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.body().contains("unknown edit 'explode'"), unknown.body());
    HttpResponse<String> outside =
        api.post("/api/notebooks/retransmits.md/blocks", "{\"op\":\"delete\",\"index\":99}");
    assertEquals(400, outside.statusCode());
    assertEquals(
        edited, workbench.notebookText("retransmits.md"), "a refused edit changes nothing");
  }

  @Test
  void aRunsAnswerIsTheOutputTheNotebookViewThenShows() throws Exception {
    // The page draws the run's answer, then applies the view and redraws a cell whose output's
    // JSON differs: a difference would recreate a scrolled grid.
    String answer = api.post("/api/notebooks/retransmits.md/cells/by_peer/run").body();
    JsonNode view = ApiClient.json(api.get("/api/notebooks/retransmits.md"));
    JsonNode shown = null;
    for (JsonNode block : view.get("blocks")) {
      if (block.get("cell").isObject() && block.get("cell").get("id").asText().equals("by_peer")) {
        shown = block.get("cell").get("output");
      }
    }
    assertEquals(
        answer, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(shown));
  }

  @Test
  void aColumnSummaryAndTheCsvDownloadReadTheKeptResult() {
    api.run("retransmits.md", "by_peer");
    JsonNode summary =
        ApiClient.json(api.get("/api/notebooks/retransmits.md/cells/by_peer/summary?column=retx"));
    assertEquals("BIGINT", summary.get("type").asText());
    assertEquals("1", summary.get("min").asText());
    assertEquals("3", summary.get("max").asText());
    assertEquals(0, summary.get("nulls").asLong());
    assertEquals(3, summary.get("distinctApprox").asLong());
    assertEquals(
        400,
        api.get("/api/notebooks/retransmits.md/cells/by_peer/summary?column=nope").statusCode());

    HttpResponse<String> csv =
        api.get("/api/notebooks/retransmits.md/cells/by_peer/rows.csv?sort=retx&desc=false");
    assertEquals(200, csv.statusCode(), csv.body());
    assertEquals("peer,retx\r\npeer-19c0,1\r\npeer-b2e4,2\r\npeer-7f3a,3\r\n", csv.body());
    assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertEquals(
        404,
        api.get("/api/notebooks/retransmits.md/cells/top_peer/rows.csv").statusCode(),
        "not run yet");
    assertEquals(
        400,
        api.get("/api/notebooks/retransmits.md/cells/by_peer/rows.csv?sort=nope").statusCode());
  }

  @Test
  void aNotebookIsCreatedFromATemplateRenamedAndRefusedOutsideTheFolder() throws Exception {
    HttpResponse<String> created =
        api.post("/api/notebooks", "{\"name\":\"incident.md\",\"template\":\"retransmits.md\"}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(workbench.notebookText("retransmits.md"), workbench.notebookText("incident.md"));
    assertEquals(409, api.post("/api/notebooks", "{\"name\":\"incident.md\"}").statusCode());
    for (String bad : new String[] {"../escape.md", "/tmp/abs.md", "notes.txt", ".hidden.md"}) {
      HttpResponse<String> refused = api.post("/api/notebooks", "{\"name\":\"" + bad + "\"}");
      assertEquals(400, refused.statusCode(), bad + ": " + refused.body());
    }
    assertFalse(Files.exists(tempDir.resolve("escape.md")));

    JsonNode blank =
        ApiClient.json(api.post("/api/notebooks/incident.md/rename", "{\"to\":\"renamed.md\"}"));
    assertEquals("renamed.md", blank.get("name").asText());
    assertFalse(Files.exists(workbench.notebooksDir.resolve("incident.md")));
    assertEquals(404, api.get("/api/notebooks/incident.md").statusCode());
    assertEquals(
        409,
        api.post("/api/notebooks/renamed.md/rename", "{\"to\":\"retransmits.md\"}").statusCode());

    HttpResponse<String> starter = api.post("/api/notebooks", "{\"name\":\"fresh.md\"}");
    assertEquals(201, starter.statusCode(), starter.body());
    assertEquals(List.of(List.of("42")), rows(api.run("fresh.md", "first")));
  }

  @Test
  void restartingTheKernelEndsTheKeptResultsAndMarksOutputsStale() {
    api.run("retransmits.md", "by_peer");
    JsonNode view = ApiClient.json(api.post("/api/notebooks/retransmits.md/restart"));
    for (JsonNode block : view.get("blocks")) {
      JsonNode cell = block.get("cell");
      if (cell != null && !cell.isNull() && cell.get("id").asText().equals("by_peer")) {
        assertTrue(cell.get("stale").asBoolean(), cell.toString());
      }
    }
    assertEquals(
        404,
        api.get("/api/notebooks/retransmits.md/cells/by_peer/rows?offset=0&limit=5").statusCode());
    JsonNode gone = api.run("retransmits.md", "top_peer");
    assertEquals("error", gone.get("kind").asText(), "the named result went with the database");
    assertTrue(gone.get("message").asText().contains("by_peer"), gone.toString());
    api.run("retransmits.md", "by_peer");
    assertEquals(List.of(List.of("peer-7f3a")), rows(api.run("retransmits.md", "top_peer")));
  }

  @Test
  void aFailingQueryNamesTheLineOfTheCellNotOfTheStatementTheKernelWrapsItIn() {
    JsonNode error = api.run("failing-cell.md", "typo");
    assertEquals("error", error.get("kind").asText());
    String detail = error.get("detail").asText();
    assertTrue(detail.contains("LINE 1: select peer from retransmits where"), detail);
    String caret =
        detail.lines().dropWhile(l -> !l.startsWith("LINE 1:")).skip(1).findFirst().orElse("");
    // The query stopped short: the position is the end of the cell's last line.
    assertEquals("LINE 1: select peer from retransmits where".length(), caret.indexOf('^'), detail);

    api.post(
        "/api/notebooks/retransmits.md/blocks",
        "{\"op\":\"insert\",\"index\":1,\"kind\":\"sql\",\"id\":\"two\","
            + "\"source\":\"select peer\\nfrom retransmits\\nwhere nosuch > 1\"}");
    String binder = api.run("retransmits.md", "two").get("detail").asText();
    assertTrue(binder.contains("LINE 3: where nosuch > 1"), binder);
  }

  private static List<List<String>> rows(JsonNode output) {
    assertEquals("table", output.get("kind").asText(), output.toString());
    List<List<String>> rows = new ArrayList<>();
    output
        .get("rows")
        .forEach(
            r -> {
              List<String> row = new ArrayList<>();
              r.forEach(v -> row.add(v.asText()));
              rows.add(row);
            });
    return rows;
  }
}
