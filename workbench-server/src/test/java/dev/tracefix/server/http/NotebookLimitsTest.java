package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracefix.server.run.KernelSettings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits per notebook and per cell, over the API: two notebooks' DuckDB settings differ as their
 * front matter says, a SET in one never reaches the other, a cell's own timeout and the front
 * matter's max_rows are errors that name the limit, the Java VM gets the notebook's heap, and a
 * notebook limit on a cell's fence is a malformed notebook.
 */
class NotebookLimitsTest {
  private static final String SETTINGS =
      "SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads";

  @TempDir Path dir;
  private WorkbenchFixture fixture;
  private ApiClient api;

  private void start(boolean locked) throws Exception {
    fixture = new WorkbenchFixture(dir, KernelSettings.DEFAULTS, locked);
    api = new ApiClient(fixture);
    write(
        "small.md",
        """
        ---
        limits:
          memory: 256MB
          threads: 1
          java_heap: 64MB
          max_rows: 5
        ---
        # Small

        ```sql id=settings
        %s
        ```

        ```sql id=set
        SET memory_limit = '100MB';
        SET threads = 3;
        %s
        ```

        ```sql id=ten
        SELECT * FROM range(10)
        ```

        ```sql id=slow timeout=1s
        SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b
        ```

        ```java id=heap
        Runtime.getRuntime().maxMemory() >> 20
        ```
        """
            .formatted(SETTINGS, SETTINGS));
    write(
        "large.md",
        """
        ---
        limits:
          memory: 768MB
          threads: 2
        ---
        # Large

        ```sql id=settings
        %s
        ```

        ```java id=heap
        Runtime.getRuntime().maxMemory() >> 20
        ```
        """
            .formatted(SETTINGS));
  }

  @AfterEach
  void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(fixture.notebooksDir.resolve(name), text);
  }

  private String settings(String notebook, String cell) {
    JsonNode out = api.run(notebook, cell);
    assertEquals("table", out.path("kind").asText(), out.toString());
    return out.path("rows").path(0).path(0).asText()
        + " / "
        + out.path("rows").path(0).path(1).asText();
  }

  @Test
  void twoNotebooksHaveTheirOwnDuckDbSettingsAndASetInOneNeverReachesTheOther() throws Exception {
    start(false);
    String small = settings("small.md", "settings");
    String large = settings("large.md", "settings");
    System.out.printf("LIMITS small.md: %s | large.md: %s%n", small, large);
    assertEquals("256.0 MiB / 1", small);
    assertEquals("768.0 MiB / 2", large);

    String afterSet = settings("small.md", "set");
    assertEquals("95.3 MiB / 3", afterSet, "unlocked, the SET changes its own notebook's database");
    assertEquals("768.0 MiB / 2", settings("large.md", "settings"), "and not the other's");
    System.out.printf(
        "LIMITS after SET in small.md: small.md %s | large.md %s%n",
        afterSet, settings("large.md", "settings"));
  }

  @Test
  void lockedASetIsRefusedAndSaysWhereTheLimitsComeFrom() throws Exception {
    start(true);
    JsonNode refused = api.run("small.md", "set");
    assertEquals("error", refused.path("kind").asText(), refused.toString());
    String message = refused.path("message").asText();
    assertTrue(
        message.startsWith("the notebook is locked: database settings such as memory_limit"),
        message);
    assertTrue(message.contains("front matter"), message);
    assertEquals("256.0 MiB / 1", settings("small.md", "settings"));
    assertEquals("768.0 MiB / 2", settings("large.md", "settings"));
  }

  @Test
  void eachNotebooksJavaVmGetsItsOwnHeap() throws Exception {
    start(false);
    long small = Long.parseLong(api.run("small.md", "heap").path("text").asText());
    long large = Long.parseLong(api.run("large.md", "heap").path("text").asText());
    System.out.printf("LIMITS Java VM max heap: small.md %d MB, large.md %d MB%n", small, large);
    assertTrue(small <= 64 && small > 32, "java_heap: 64MB gave " + small + " MB");
    assertTrue(large <= 512 && large > 256, "the default java_heap (512MB) gave " + large + " MB");
  }

  @Test
  void aCellsTimeoutAndTheFrontMattersMaxRowsAreErrorsThatNameTheLimit() throws Exception {
    start(false);
    JsonNode slow = api.run("small.md", "slow");
    assertEquals("limit", slow.path("errorKind").asText(), slow.toString());
    assertTrue(slow.path("message").asText().contains("(timeout=1s)"), slow.toString());
    assertTrue(slow.path("message").asText().contains("```sql timeout=2s```"), slow.toString());

    JsonNode ten = api.run("small.md", "ten");
    assertEquals("limit", ten.path("errorKind").asText(), ten.toString());
    assertTrue(
        ten.path("message").asText().contains("more than 5 rows (max_rows=5)"), ten.toString());

    String metrics = api.get("/api/metrics").body();
    assertTrue(metrics.contains("tracefix_workbench_limit_errors_total 2"), metrics);
  }

  @Test
  void changingTheFrontMattersLimitsReopensTheNotebooksDatabase() throws Exception {
    start(false);
    assertEquals("256.0 MiB / 1", settings("small.md", "settings"));
    Path file = fixture.notebooksDir.resolve("small.md");
    Files.writeString(file, Files.readString(file).replace("memory: 256MB", "memory: 300MB"));
    assertEquals("300.0 MiB / 1", settings("small.md", "settings"));
  }

  @Test
  void aNotebookLimitOnACellsFenceMakesTheNotebookMalformed() throws Exception {
    start(false);
    write("bad.md", "# Bad\n\n```sql memory=4GB\nSELECT 1\n```\n");
    HttpResponse<String> open = api.get("/api/notebooks/bad.md");
    assertEquals(422, open.statusCode(), open.body());
    assertTrue(
        open.body().contains("bad.md:3: memory is a limit of the whole notebook"), open.body());
    write("worse.md", "---\nlimits:\n  timeout: soon\n---\n# Worse\n");
    HttpResponse<String> worse = api.get("/api/notebooks/worse.md");
    assertEquals(422, worse.statusCode(), worse.body());
    assertTrue(
        worse.body().contains("worse.md:3: front matter limits: timeout=soon"), worse.body());
  }
}
