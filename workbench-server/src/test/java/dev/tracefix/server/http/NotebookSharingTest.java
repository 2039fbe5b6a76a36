package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.notebook.NotebookParser;
import dev.tracefix.server.run.FileNotebookWorkspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notebooks shared through git: save commits the file with the author from git config, history,
 * diff and reading an old version go through JGit, and what they make is checked with the git
 * command line; two people editing different cells of one notebook merge with plain git.
 */
class NotebookSharingTest {
  @TempDir Path dir;
  private WorkbenchFixture fixture;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    fixture = new WorkbenchFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private static String git(Path repo, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("git", "-C", repo.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), () -> String.join(" ", argv) + "\n" + out);
    return out.strip();
  }

  private void initRepo(Path repo, String author) throws Exception {
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "user.name", author);
    git(repo, "config", "user.email", author.toLowerCase().replace(' ', '.') + "@example.org");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Notebooks as found");
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fixture.base() + path))
            .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void editCell(String cell, String source) throws Exception {
    HttpResponse<String> r =
        send(
            "PUT",
            "/api/notebooks/retransmits.md/cells/" + cell,
            json.writeValueAsString(Map.of("source", source)));
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void saveCommitsTheNotebookAndHistoryDiffAndOldVersionsReadBack() throws Exception {
    initRepo(fixture.notebooksDir, "Ada Example");
    String first = git(fixture.notebooksDir, "rev-parse", "HEAD");
    editCell("top_peer", "select peer from by_peer order by peer limit 1");

    HttpResponse<String> saved =
        send("POST", "/api/notebooks/retransmits.md/save", "{\"message\":\"Pick the first peer\"}");
    assertEquals(200, saved.statusCode(), saved.body());
    JsonNode result = json.readTree(saved.body());
    assertTrue(result.path("saved").asBoolean(), saved.body());
    assertEquals(
        git(fixture.notebooksDir, "rev-parse", "HEAD"),
        result.path("revision").path("id").asText());
    assertEquals(
        "Ada Example|Pick the first peer",
        git(fixture.notebooksDir, "log", "-1", "--format=%an|%s"));
    assertEquals("", git(fixture.notebooksDir, "status", "--porcelain"), "nothing left unsaved");
    assertEquals(
        fixture.notebookText("retransmits.md"),
        git(fixture.notebooksDir, "show", "HEAD:retransmits.md") + "\n");

    HttpResponse<String> again = send("POST", "/api/notebooks/retransmits.md/save", "");
    assertFalse(json.readTree(again.body()).path("saved").asBoolean(), again.body());
    assertEquals("2", git(fixture.notebooksDir, "rev-list", "--count", "HEAD"), "no empty commit");

    JsonNode history =
        json.readTree(send("GET", "/api/notebooks/retransmits.md/history", null).body());
    assertEquals(2, history.size(), history.toString());
    assertEquals("Pick the first peer", history.get(0).path("message").asText());
    assertEquals(first, history.get(1).path("id").asText());

    String diff =
        send("GET", "/api/notebooks/retransmits.md/diff?from=" + first + "&to=HEAD", null).body();
    assertTrue(diff.contains("-select peer from by_peer limit 1"), diff);
    assertTrue(diff.contains("+select peer from by_peer order by peer limit 1"), diff);

    JsonNode old =
        json.readTree(send("GET", "/api/notebooks/retransmits.md/at/" + first, null).body());
    assertTrue(old.toString().contains("select peer from by_peer limit 1"), old.toString());
    assertFalse(old.toString().contains("order by peer limit 1"), old.toString());

    assertEquals(404, send("GET", "/api/notebooks/retransmits.md/at/0123abcd", null).statusCode());
  }

  @Test
  void savingOutsideAGitRepositoryIsAClearConflict() throws Exception {
    HttpResponse<String> r = send("POST", "/api/notebooks/retransmits.md/save", "");
    assertEquals(409, r.statusCode(), r.body());
    assertTrue(r.body().contains("git init"), r.body());
    assertEquals(400, send("POST", "/api/notebooks/retransmits.md/save", "{oops").statusCode());
  }

  @Test
  void twoPeopleEditingDifferentCellsMergeWithPlainGit() throws Exception {
    initRepo(fixture.notebooksDir, "Ada Example");
    Path clone = dir.resolve("clone");
    git(dir, "clone", "-q", fixture.notebooksDir.toString(), clone.toString());
    git(clone, "config", "user.name", "Grace Example");
    git(clone, "config", "user.email", "grace@example.org");

    // Ada, through the workbench: the first cell.
    editCell(
        "by_peer",
        "select peer, count(*) as retx\nfrom retransmits\ngroup by peer\norder by retx desc");
    assertEquals(200, send("POST", "/api/notebooks/retransmits.md/save", "").statusCode());

    // Grace, through her own workspace on her clone: the last cell.
    try (FileNotebookWorkspace grace =
        new FileNotebookWorkspace(
            clone, NotebookDatabases.unlocked(dir.resolve("none.duckdb")), dir, Map.of())) {
      grace.updateCell(
          "retransmits.md", "top_peer", "select peer from by_peer order by retx desc limit 1");
      assertTrue(grace.save("retransmits.md", "Top peer by count").isPresent());
    }

    git(clone, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main");
    String merged = Files.readString(clone.resolve("retransmits.md"));
    assertTrue(merged.contains("order by retx desc\n```"), merged);
    assertTrue(merged.contains("select peer from by_peer order by retx desc limit 1"), merged);
    assertEquals(2, NotebookParser.parse("retransmits.md", merged).cells().size());
    assertFalse(merged.contains("<<<<<<<"), merged);
  }
}
