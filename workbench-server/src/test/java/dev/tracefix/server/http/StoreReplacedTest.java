package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event store deleted, or replaced by a file that is not a DuckDB database or by a database
 * without an events table, while the workbench runs: the store's views answer with a 4xx that says
 * which, instead of a 500 with DuckDB's catalog error; a notebook that attached the old file says
 * so in its next cell's output instead of reading the old file silently, until it is restarted; the
 * workbench keeps serving notebooks.
 */
class StoreReplacedTest {
  private static final String BASE = "/api/notebooks/retransmits.md";

  @TempDir Path dir;

  private static JsonNode refused(HttpResponse<String> answer, int status, String says) {
    assertEquals(status, answer.statusCode(), answer.body());
    JsonNode error;
    try {
      error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + answer.body(), e);
    }
    assertTrue(error.path("message").asText().contains(says), answer.body());
    return error;
  }

  @Test
  void theStoresViewsAndCellsSayWhatHappenedToTheStore() throws Exception {
    try (WorkbenchFixture fixture = new WorkbenchFixture(dir)) {
      ApiClient api = new ApiClient(fixture);
      assertEquals(200, api.post(BASE + "/cells/by_peer/run").statusCode());
      // The fixture's store holds a retransmits table and no events: as if replaced by another
      // DuckDB database.
      refused(api.get(BASE + "/timeline"), 404, "has no events table");

      Files.delete(fixture.storeFile);
      refused(api.get(BASE + "/timeline"), 404, "is gone (deleted or moved");
      refused(api.get(BASE + "/timeline.json"), 404, "is gone");

      Files.writeString(fixture.storeFile, "this is not a database\n");
      refused(api.get(BASE + "/timeline"), 409, "cannot be opened as a DuckDB database");

      // A cell of a session that attached the store before it changed: it would go on reading
      // the file it opened; instead it says so, until the notebook is restarted.
      JsonNode stale = ApiClient.json(api.post(BASE + "/cells/by_peer/run"));
      assertEquals("error", stale.get("kind").asText(), stale.toString());
      assertTrue(
          stale.toString().contains("was deleted or moved after this notebook attached it")
              || stale.toString().contains("was replaced by another file"),
          stale.toString());
      assertEquals(200, api.get("/api/notebooks").statusCode(), "still serving");

      // A DuckDB database moved over the store (as a new capture would be): noticed too.
      Files.delete(fixture.storeFile);
      Path other = dir.resolve("other.duckdb");
      try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + other);
          var s = c.createStatement()) {
        s.execute("create table retransmits as select 1 as ts, 'peer-1' as peer, 2 as bytes");
      }
      Files.move(other, fixture.storeFile);
      JsonNode replaced = ApiClient.json(api.post(BASE + "/cells/by_peer/run"));
      assertTrue(replaced.toString().contains("replaced by another file"), replaced.toString());
      // Restarted: the session attaches the file as it is now, and reads it.
      assertEquals(200, api.post(BASE + "/restart").statusCode());
      JsonNode fresh = ApiClient.json(api.post(BASE + "/cells/by_peer/run"));
      assertEquals("table", fresh.get("kind").asText(), fresh.toString());
      assertEquals("[[\"peer-1\",1]]", fresh.get("rows").toString());
    }
  }
}
