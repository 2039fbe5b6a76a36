package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell edited in the file (an editor, a git pull) while the page edits the same cell: the page's
 * save carries the source it started from, and the server refuses it with 409 and both versions
 * instead of overwriting the file's edit. Edits of other cells, or an identical edit, still save.
 */
class CellEditConflictTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGINAL =
      "select peer, count(*) as retx\nfrom retransmits\ngroup by peer\norder by retx desc, peer";

  @TempDir Path dir;

  private static HttpResponse<String> put(WorkbenchFixture fixture, String cell, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(fixture.base() + "/api/notebooks/retransmits.md/cells/" + cell))
                .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String edit(String source, String base) throws Exception {
    var body = JSON.createObjectNode().put("source", source);
    return JSON.writeValueAsString(base == null ? body : body.put("base", base));
  }

  private static void editOnDisk(WorkbenchFixture fixture, String from, String to)
      throws Exception {
    Path file = fixture.notebooksDir.resolve("retransmits.md");
    String text = Files.readString(file);
    assertTrue(text.contains(from), text);
    Files.writeString(file, text.replace(from, to));
  }

  @Test
  void aSaveFromAStaleBaseIsAConflictWithBothVersions() throws Exception {
    try (WorkbenchFixture fixture = new WorkbenchFixture(dir)) {
      String mine = ORIGINAL.replace("desc", "asc");
      editOnDisk(fixture, "group by peer", "group by peer having count(*) > 1");
      String before = fixture.notebookText("retransmits.md");

      HttpResponse<String> refused = put(fixture, "by_peer", edit(mine, ORIGINAL));
      assertEquals(409, refused.statusCode(), refused.body());
      JsonNode conflict = JSON.readTree(refused.body());
      assertEquals("edit_conflict", conflict.get("error").asText());
      assertEquals("by_peer", conflict.get("cell").asText());
      assertEquals(
          ORIGINAL.replace("group by peer", "group by peer having count(*) > 1"),
          conflict.get("onDisk").asText());
      assertEquals(mine, conflict.get("yours").asText());
      assertTrue(conflict.get("message").asText().contains("was not saved"), refused.body());
      assertEquals(before, fixture.notebookText("retransmits.md"), "the file's edit kept");

      // Merged by hand from the version on disk: saves.
      String merged = conflict.get("onDisk").asText().replace("desc", "asc");
      assertEquals(
          200, put(fixture, "by_peer", edit(merged, conflict.get("onDisk").asText())).statusCode());
      assertTrue(fixture.notebookText("retransmits.md").contains("having count(*) > 1"));
      assertTrue(fixture.notebookText("retransmits.md").contains("order by retx asc"));
    }
  }

  @Test
  void editsOfOtherCellsAndTheSameEditAreNoConflict() throws Exception {
    try (WorkbenchFixture fixture = new WorkbenchFixture(dir)) {
      editOnDisk(fixture, "select peer from by_peer limit 1", "select peer from by_peer limit 2");
      String mine = ORIGINAL + "\nlimit 10";
      assertEquals(200, put(fixture, "by_peer", edit(mine, ORIGINAL)).statusCode());
      String text = fixture.notebookText("retransmits.md");
      assertTrue(text.contains("limit 2"), "the other cell's edit on disk kept: " + text);
      assertTrue(text.contains("limit 10"), text);

      // The file already holds exactly this edit (e.g. saved from a second page): accepted.
      editOnDisk(fixture, "limit 10", "limit 11");
      assertEquals(200, put(fixture, "by_peer", edit(ORIGINAL + "\nlimit 11", mine)).statusCode());
      // Without a base (a client that does not send one) the last writer wins, as before.
      assertEquals(200, put(fixture, "by_peer", edit(ORIGINAL, null)).statusCode());
      assertTrue(fixture.notebookText("retransmits.md").contains(ORIGINAL + "\n```"));
    }
  }
}
