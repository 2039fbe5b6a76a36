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
 * which, instead of a 500 with DuckDB's catalog error; the workbench keeps serving notebooks.
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
  void theStoresViewsSayWhatHappenedToTheStore() throws Exception {
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

      HttpResponse<String> rerun = api.post(BASE + "/cells/by_peer/run");
      System.out.printf(
          "a cell run over the replaced store: %d %s%n", rerun.statusCode(), rerun.body());
      assertTrue(rerun.statusCode() < 500, rerun.body());
      assertEquals(200, api.get("/api/notebooks").statusCode(), "still serving");
    }
  }
}
