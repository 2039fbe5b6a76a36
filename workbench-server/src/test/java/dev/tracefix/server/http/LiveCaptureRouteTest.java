package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.Capture;
import dev.tracefix.server.capture.LiveCaptures;
import dev.tracefix.server.kernel.sql.AttachedCaptures;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.kernel.sql.SqlLock;
import dev.tracefix.server.run.FileNotebookWorkspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture over the real kernel and a real server on loopback: a capture of a child process the
 * test runs, its snapshots on the events stream, stop, and its rows in a locked notebook's SQL cell
 * afterwards, in a notebook whose database was open before the capture ended.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120) // a liveness bound only: the whole class takes a few seconds
class LiveCaptureRouteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NOTEBOOK = "live.md";

  private Path dir;
  private FileNotebookWorkspace workspace;
  private WorkbenchServer server;
  private LiveCaptures captures;
  private Process child;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
    Files.writeString(
        notebooks.resolve(NOTEBOOK),
        """
        # Live

        ```sql name=before
        select 1 as one
        ```

        ```sql name=first
        select count(*) as n from live_1.events
        ```

        ```sql name=second
        select count(*) as n from live_2.events
        ```
        """);
    Path store = dir.resolve("store").resolve("trace.duckdb");
    Files.createDirectories(store.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + store);
        Statement s = c.createStatement()) {
      s.execute("create table seeded(x integer)");
    }
    AttachedCaptures attached = new AttachedCaptures(store.resolveSibling("live"));
    NotebookDatabases databases =
        NotebookDatabases.locked(
                store,
                new SqlLock(List.of(Files.createDirectories(store.resolveSibling("exports")))))
            .withLiveCaptures(attached);
    workspace = new FileNotebookWorkspace(notebooks, databases, dir, Map.of());
    Path policy = Path.of("..", "policies", "default.yaml").toAbsolutePath().normalize();
    captures =
        new LiveCaptures(
            attached, Files.isRegularFile(policy) ? policy : null, dir.resolve("keys"), 30);
    server =
        WorkbenchServer.start(
            workspace, 0, WorkbenchFixture.TOKEN, null, java.util.Set.of(), captures);
    // Some processes, files and syscalls a second: exec/exit/fork and openat/read events.
    child =
        new ProcessBuilder(
                "sh", "-c", "while :; do head -c 16 /etc/hostname > /dev/null; sleep 0.02; done")
            .start();
  }

  @AfterAll
  void stop() throws Exception {
    if (child != null) {
      child.destroyForcibly();
    }
    if (captures != null) {
      captures.close();
      server.close();
      workspace.close();
    }
  }

  private static void requireCapture() {
    Optional<String> reason = Capture.unavailableReason();
    if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
      fail("CI=true requires eBPF capture, but: " + reason.get());
    }
    assumeTrue(reason.isEmpty(), () -> "eBPF capture unavailable: " + reason.orElse(""));
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
            .header("Content-Type", "application/json");
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private String start(String probes, int seconds) {
    return "{\"probes\":" + probes + ",\"pid\":" + child.pid() + ",\"seconds\":" + seconds + "}";
  }

  /** Reads 'capture' events of the stream into a queue, from a thread of its own. */
  private BlockingQueue<JsonNode> subscribe() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/events"))
            .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> events = http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, events.statusCode());
    Iterator<String> lines = events.body().iterator();
    while (!lines.next().contains(ProgressEvents.HELLO)) {
      // until the server has registered this subscriber
    }
    BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              boolean capture = false;
              while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("event:")) {
                  capture = line.substring(6).strip().equals("capture");
                } else if (capture && line.startsWith("data:")) {
                  try {
                    queue.add(JSON.readTree(line.substring(5)));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              }
            });
    return queue;
  }

  private JsonNode next(BlockingQueue<JsonNode> events) throws InterruptedException {
    JsonNode event = events.poll(30, TimeUnit.SECONDS);
    if (event == null) {
      fail("no capture event within 30 s");
    }
    return event;
  }

  private JsonNode untilEnded(BlockingQueue<JsonNode> events, String id) throws Exception {
    while (true) {
      JsonNode event = next(events);
      if (event.get("id").asText().equals(id) && !event.get("state").asText().equals("running")) {
        return event;
      }
    }
  }

  private long count(String cell) throws Exception {
    JsonNode output =
        ok(send("POST", "/api/notebooks/" + NOTEBOOK + "/cells/" + cell + "/run", null));
    assertEquals("table", output.get("kind").asText(), output::toString);
    return output.get("rows").get(0).get(0).asLong();
  }

  @Test
  void capturesAChildProcessStopsAndItsRowsAreQueryable() throws Exception {
    requireCapture();
    // The notebook's database is open (and locked) before any capture ends.
    assertEquals(1, count("before"));
    BlockingQueue<JsonNode> events = subscribe();

    JsonNode first = ok(send("POST", "/api/captures", start("[\"process\",\"syscalls\"]", 2)));
    assertEquals("live-1", first.get("id").asText());
    assertEquals("running", first.get("state").asText());
    HttpResponse<String> conflict =
        send("POST", "/api/captures", start("[\"process\",\"syscalls\"]", 2));
    assertEquals(409, conflict.statusCode(), conflict.body());
    assertTrue(conflict.body().contains("live-1 is running"), conflict.body());

    // Snapshots arrive with a rate for a type while it runs, then the stored count.
    boolean sawRate = false;
    JsonNode ended = null;
    while (ended == null) {
      JsonNode event = next(events);
      if (event.get("state").asText().equals("running")) {
        for (JsonNode type : event.get("types")) {
          sawRate |= type.get("perSecond").asDouble() > 0;
        }
        assertTrue(event.get("queueDepth").asLong() >= 0, event::toString);
      } else {
        ended = event;
      }
    }
    assertTrue(sawRate, "no snapshot showed a rate");
    assertEquals("stored", ended.get("state").asText(), ended::toString);
    long stored = ended.get("stored").asLong();
    assertTrue(stored > 0, ended::toString);
    assertEquals(ended, ok(send("GET", "/api/captures/live-1", null)));
    // Same notebook, same (locked) database, no restart: the capture is attached as live_1.
    assertEquals(stored, count("first"));

    // A long capture stopped early: it still drains and is stored.
    JsonNode second = ok(send("POST", "/api/captures", start("[\"process\"]", 30)));
    assertEquals("live-2", second.get("id").asText());
    JsonNode stopped = ok(send("DELETE", "/api/captures/live-2", null));
    assertEquals("live-2", stopped.get("id").asText());
    JsonNode end = untilEnded(events, "live-2");
    assertEquals("stored", end.get("state").asText(), end::toString);
    assertTrue(end.get("elapsedMs").asLong() < 30_000, end::toString);
    assertEquals(end.get("stored").asLong(), count("second"));
    System.out.printf(
        "live capture: live-1 stored %d events, live-2 stopped after %d ms with %d%n",
        stored, end.get("elapsedMs").asLong(), end.get("stored").asLong());
  }

  @Test
  void refusesBadRequestsClearlyAndKeepsServing() throws Exception {
    assertBad(start("[\"process\"]", -1), "seconds must be 1 to 30");
    assertBad(start("[\"process\"]", 31), "seconds must be 1 to 30");
    assertBad(start("[\"nope\"]", 2), "nope");
    assertBad("{\"probes\":[\"process\"],\"pid\":999999999,\"seconds\":2}", "no process with pid");
    assertBad("{\"probes\":[\"process\"],\"seconds\":2}", "name a pid or a cgroup");
    assertBad("not json", "request body must be JSON");
    assertEquals(404, send("GET", "/api/captures/live-99", null).statusCode());
    assertEquals(1, count("before"));
  }

  private void assertBad(String body, String message) throws Exception {
    HttpResponse<String> response = send("POST", "/api/captures", body);
    assertEquals(400, response.statusCode(), body + " -> " + response.body());
    assertTrue(response.body().contains(message), body + " -> " + response.body());
  }
}
