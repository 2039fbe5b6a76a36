package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell that runs for minutes: while it runs, the notebook it belongs to, the notebook list and
 * other notebooks still open, and {@code POST /api/notebooks/{name}/interrupt} stops it, after
 * which the same notebook runs cells again on the same connection.
 */
class RunningCellTest {
  private static final String SLOW =
      """
      # Slow

      ```sql name=slow
      select sum(i * i) from range(100000000000) t(i)
      ```

      ```sql name=quick
      select 42 as answer
      ```
      """;

  @TempDir Path dir;
  private WorkbenchFixture fixture;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    fixture = new WorkbenchFixture(dir);
    Files.writeString(fixture.notebooksDir.resolve("slow.md"), SLOW);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private HttpRequest.Builder request(String path) {
    // A liveness bound, not a speed claim: a reader stuck behind the cell fails instead of hanging.
    return HttpRequest.newBuilder(URI.create(fixture.base() + path))
        .timeout(java.time.Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(
        request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRunningCellBlocksNoReaderAndStopsOnInterrupt() throws Exception {
    CompletableFuture<HttpResponse<String>> run =
        http.sendAsync(
            request("/api/notebooks/slow.md/cells/slow/run")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(500); // let the statement start; nothing below depends on how long it takes

    assertEquals(200, get("/api/notebooks/slow.md").statusCode());
    assertEquals(200, get("/api/notebooks").statusCode());
    assertEquals(200, get("/api/notebooks/retransmits.md").statusCode());
    assertFalse(run.isDone(), "the slow cell must still be running while the readers answered");

    long interruptedAt = System.nanoTime();
    HttpResponse<String> interrupt = post("/api/notebooks/slow.md/interrupt");
    assertEquals(200, interrupt.statusCode(), interrupt.body());
    HttpResponse<String> stopped = run.get(60, TimeUnit.SECONDS);
    long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt);
    System.out.printf("slow SQL cell stopped %d ms after the interrupt request%n", stopMs);
    JsonNode output = new ObjectMapper().readTree(stopped.body());
    assertEquals("error", output.path("kind").asText(), stopped.body());
    assertTrue(output.path("message").asText().contains("cancel"), stopped.body());

    HttpResponse<String> again = post("/api/notebooks/slow.md/cells/quick/run");
    assertTrue(again.body().contains("42"), "the connection stays usable: " + again.body());
  }

  @Test
  void interruptingAnUnknownNotebookIs404() throws Exception {
    assertEquals(404, post("/api/notebooks/none.md/interrupt").statusCode());
  }
}
