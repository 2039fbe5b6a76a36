package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracefix.server.bisect.BisectCellRunner;
import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.patch.PatchCellRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patch review over the API, on the sample service's real git history: a reject is written into the
 * cell and commits nothing; an accept is written too and re-runs the cell, whose fix is committed
 * only after the review gate passed; a decision on another kind of cell, or an unknown one, is
 * refused.
 */
class PatchReviewRouteTest {
  @TempDir Path dir;

  @Test
  void rejectCommitsNothingAndAcceptCommitsThroughTheReviewGate() throws Exception {
    try (WorkbenchFixture fixture =
        new WorkbenchFixture(
            dir, Map.of("bisect", new BisectCellRunner(), "patch", new PatchCellRunner()))) {
      Path repo = GitFixtures.timeoutServiceRepo(dir.resolve("timeout-service"));
      String head = GitFixtures.git(repo, "rev-parse", "HEAD");
      Files.writeString(
          fixture.notebooksDir.resolve("fix.md"),
          "# Fix\n\n```bisect name=culprit\nrepo: "
              + repo
              + "\ngood: v1.0\nbad: HEAD\nrun: ./repro.sh\n"
              + "timeout: 60s\n```\n\n```patch name=fix\nrepo: "
              + repo
              + "\nculprit: culprit\n"
              + "run: ./repro.sh\ntest: ./check.sh\n```\n\n```sql name=other\nSELECT 1\n```\n");
      ApiClient api = new ApiClient(fixture);
      assertEquals("bisected", api.run("fix.md", "culprit").get("kind").asText());
      JsonNode drafted = api.run("fix.md", "fix");
      assertEquals("patched", drafted.get("kind").asText(), drafted.toString());
      assertTrue(drafted.get("accepted").isNull());

      HttpResponse<String> reject =
          post(fixture, "/api/notebooks/fix.md/cells/fix/review", "{\"decision\":\"reject\"}");
      assertEquals(200, reject.statusCode(), reject.body());
      assertTrue(
          fixture.notebookText("fix.md").contains("test: ./check.sh\naccept: no\n```"),
          fixture.notebookText("fix.md"));
      assertEquals(head, GitFixtures.git(repo, "rev-parse", "HEAD"));
      assertFalse(GitFixtures.git(repo, "log", "--all", "--format=%s").contains("regression test"));

      HttpResponse<String> accept =
          post(fixture, "/api/notebooks/fix.md/cells/fix/review", "{\"decision\":\"accept\"}");
      assertEquals(200, accept.statusCode(), accept.body());
      assertTrue(fixture.notebookText("fix.md").contains("test: ./check.sh\naccept: yes\n```"));
      JsonNode output = cellOutput(ApiClient.json(accept), "fix");
      assertEquals("patched", output.get("kind").asText(), output.toString());
      assertTrue(output.get("reviewPassed").asBoolean(), output.get("log").asText());
      String commit = output.get("accepted").asText();
      assertEquals(40, commit.length(), output.toString());
      assertEquals(
          "commit",
          GitFixtures.git(repo, "cat-file", "-t", commit),
          "the accepted fix is a commit");
      System.out.println("accepted " + commit + " on " + output.get("branch").asText());

      assertEquals(
          400,
          post(fixture, "/api/notebooks/fix.md/cells/other/review", "{\"decision\":\"accept\"}")
              .statusCode());
      assertEquals(
          400,
          post(fixture, "/api/notebooks/fix.md/cells/fix/review", "{\"decision\":\"maybe\"}")
              .statusCode());
    }
  }

  private static JsonNode cellOutput(JsonNode view, String id) {
    for (JsonNode block : view.get("blocks")) {
      if (block.hasNonNull("cell") && block.get("cell").get("id").asText().equals(id)) {
        return block.get("cell").get("output");
      }
    }
    throw new AssertionError("no cell " + id);
  }

  private static HttpResponse<String> post(WorkbenchFixture fixture, String path, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(fixture.base() + path))
                .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
