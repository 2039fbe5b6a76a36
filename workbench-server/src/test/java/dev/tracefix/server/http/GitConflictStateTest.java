package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook folder's git repository stopped half-way through a merge or a rebase on the same
 * cell, and a notebook file holding git's conflict markers: the notebook still opens (with a
 * warning naming the line), history and diff still answer, and save refuses with a 409 that says
 * what to finish in git, committing nothing.
 */
class GitConflictStateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE = "/api/notebooks/retransmits.md";

  @TempDir Path dir;

  private static GitRun git(Path repo, String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "git",
                "-C",
                repo.toString(),
                "-c",
                "user.name=Ada",
                "-c",
                "user.email=ada@example.test",
                "-c",
                "commit.gpgsign=false"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_EDITOR", "true");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new GitRun(p.waitFor(), out.strip());
  }

  record GitRun(int exit, String output) {}

  private static void ok(Path repo, String... args) throws Exception {
    GitRun run = git(repo, args);
    assertEquals(0, run.exit(), "git " + String.join(" ", args) + ": " + run.output());
  }

  /** Two branches that change the same line of the by_peer cell differently. */
  private static void divergedOnOneCell(WorkbenchFixture fixture) throws Exception {
    Path repo = fixture.notebooksDir;
    ok(repo, "init", "-q", "-b", "main");
    ok(repo, "config", "user.name", "Ada");
    ok(repo, "config", "user.email", "ada@example.test");
    ok(repo, "add", "-A");
    ok(repo, "commit", "-q", "-m", "notebooks");
    ok(repo, "checkout", "-q", "-b", "other");
    edit(fixture, "order by retx desc, peer", "order by peer");
    ok(repo, "commit", "-q", "-am", "by peer");
    ok(repo, "checkout", "-q", "main");
    edit(fixture, "order by retx desc, peer", "order by retx asc");
    ok(repo, "commit", "-q", "-am", "ascending");
  }

  private static void edit(WorkbenchFixture fixture, String from, String to) throws Exception {
    Path file = fixture.notebooksDir.resolve("retransmits.md");
    String text = java.nio.file.Files.readString(file);
    assertTrue(text.contains(from), text);
    java.nio.file.Files.writeString(file, text.replace(from, to));
  }

  private static JsonNode refusedSave(ApiClient api, String says) throws Exception {
    HttpResponse<String> save = api.post(BASE + "/save", "{\"message\":\"resolve\"}");
    assertEquals(409, save.statusCode(), save.body());
    JsonNode error = JSON.readTree(save.body());
    assertEquals("conflict", error.get("error").asText());
    assertTrue(error.get("message").asText().contains(says), save.body());
    return error;
  }

  @Test
  void aMergeStoppedOnACellOpensWithAWarningAndSaveSaysToFinishIt() throws Exception {
    try (WorkbenchFixture fixture = new WorkbenchFixture(dir)) {
      ApiClient api = new ApiClient(fixture);
      divergedOnOneCell(fixture);
      Path repo = fixture.notebooksDir;
      GitRun merge = git(repo, "merge", "other");
      assertNotEquals(0, merge.exit(), "the merge stops on the conflict: " + merge.output());
      String head = git(repo, "rev-parse", "HEAD").output();
      String conflicted = fixture.notebookText("retransmits.md");
      assertTrue(conflicted.contains("<<<<<<< HEAD"), conflicted);

      JsonNode view = ApiClient.json(api.get(BASE));
      assertTrue(
          view.get("warnings").toString().contains("merge conflict marker"), view.toString());
      refusedSave(api, "is in the middle of a merge");
      assertEquals(200, api.get(BASE + "/history").statusCode());
      assertEquals(200, api.get(BASE + "/diff").statusCode());
      assertEquals(head, git(repo, "rev-parse", "HEAD").output(), "nothing committed");
      assertEquals(conflicted, fixture.notebookText("retransmits.md"), "nothing written");

      // Markers left in the file after the merge is over (e.g. 'git merge --abort' then a
      // careless copy): save names the line and commits nothing.
      ok(repo, "merge", "--abort");
      java.nio.file.Files.writeString(repo.resolve("retransmits.md"), conflicted);
      JsonNode error = refusedSave(api, "an unresolved git merge conflict marker");
      int markerLine = conflicted.lines().toList().indexOf("<<<<<<< HEAD") + 1;
      assertTrue(
          error.get("message").asText().contains("retransmits.md:" + markerLine + ":"),
          error.toString());
      assertEquals(head, git(repo, "rev-parse", "HEAD").output(), "nothing committed");
    }
  }

  @Test
  void aRebaseStoppedOnACellRefusesSave() throws Exception {
    try (WorkbenchFixture fixture = new WorkbenchFixture(dir)) {
      ApiClient api = new ApiClient(fixture);
      divergedOnOneCell(fixture);
      Path repo = fixture.notebooksDir;
      ok(repo, "checkout", "-q", "other");
      GitRun rebase = git(repo, "rebase", "main");
      assertNotEquals(0, rebase.exit(), "the rebase stops on the conflict: " + rebase.output());
      refusedSave(api, "is in the middle of a rebase");
      assertEquals(200, api.get(BASE + "/history").statusCode());
      ok(repo, "rebase", "--abort");
    }
  }
}
