package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.Capture;
import dev.tracefix.server.capture.AttachServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture over the real kernel and a real server on loopback: a capture of a child process the
 * test runs, its snapshots on the events stream, stop, and its rows in a locked notebook's SQL cell
 * afterwards, in a notebook whose database was open before the capture ended; then a capture of a
 * JVM service with its flight recorder streamed into the same capture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // live-1, then live-2 (its jvm_events)
@Timeout(120) // a liveness bound only: the whole class takes a few seconds
class LiveCaptureRouteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NOTEBOOK = LiveCaptureFixture.NOTEBOOK;

  /** What the JVM service of the jfr capture works on: one thread, exception, write, park each. */
  private static final List<String> SERVICE_VALUES = List.of("alpha", "beta", "gamma");

  private LiveCaptureFixture live;
  private WorkbenchServer server;
  private Process child;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    live = new LiveCaptureFixture(dir);
    server = live.server;
    child = live.child;
  }

  @AfterAll
  void stop() throws Exception {
    if (live != null) {
      live.close();
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
  @Order(1)
  void capturesAChildProcessStopsAndItsRowsAreQueryable() throws Exception {
    requireCapture();
    // The notebook's database is open (and locked) before any capture ends.
    assertEquals(1, count("before"));
    BlockingQueue<JsonNode> events = subscribe();

    // Asked for 30 s, stopped once a snapshot shows a rate: one kernel load for the whole test.
    JsonNode first = ok(send("POST", "/api/captures", start("[\"process\",\"syscalls\"]", 30)));
    assertEquals("live-1", first.get("id").asText());
    assertEquals("running", first.get("state").asText());
    HttpResponse<String> conflict = send("POST", "/api/captures", start("[\"process\"]", 2));
    assertEquals(409, conflict.statusCode(), conflict.body());
    assertTrue(conflict.body().contains("live-1 is running"), conflict.body());

    boolean sawRate = false;
    while (!sawRate) {
      JsonNode event = next(events);
      assertEquals("running", event.get("state").asText(), event::toString);
      assertTrue(event.get("queueDepth").asLong() >= 0, event::toString);
      for (JsonNode type : event.get("types")) {
        sawRate |= type.get("perSecond").asDouble() > 0;
      }
    }
    assertEquals("live-1", ok(send("DELETE", "/api/captures/live-1", null)).get("id").asText());
    JsonNode ended = untilEnded(events, "live-1");
    assertEquals("stored", ended.get("state").asText(), ended::toString);
    assertTrue(ended.get("elapsedMs").asLong() < 30_000, ended::toString); // stopped, not timed out
    long stored = ended.get("stored").asLong();
    assertTrue(stored > 0, ended::toString);
    assertEquals(ended, ok(send("GET", "/api/captures/live-1", null)));
    // Same notebook, same (locked) database, no restart: the capture is attached as live_1.
    assertEquals(stored, count("first"));
    System.out.printf(
        "live capture: live-1 stopped after %d ms with %d events stored, %d dropped%n",
        ended.get("elapsedMs").asLong(), stored, ended.get("dropped").asLong());
  }

  @Test
  void refusesBadRequestsClearlyAndKeepsServing() throws Exception {
    assertBad(start("[\"process\"]", -1), "seconds must be 1 to 30");
    assertBad(start("[\"process\"]", 31), "seconds must be 1 to 30");
    assertBad(start("[\"nope\"]", 2), "nope");
    assertBad("{\"probes\":[\"process\"],\"pid\":999999999,\"seconds\":2}", "no process with pid");
    assertBad("{\"probes\":[\"process\"],\"seconds\":2}", "name a pid or a cgroup");
    assertBad("not json", "request body must be JSON");
    assertBad(
        "{\"probes\":[\"process\"],\"cgroups\":[\"/x\"],\"seconds\":2,\"jfr\":true}",
        "name that JVM's pid");
    assertEquals(404, send("GET", "/api/captures/live-99", null).statusCode());
    assertEquals(1, count("before"));
  }

  @Test
  void aServerWithoutLiveCaptureRefusesWith403(@TempDir Path other) throws Exception {
    try (WorkbenchFixture plain = new WorkbenchFixture(other)) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(plain.base() + "/api/captures"))
                  .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(start("[\"process\"]", 2)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(403, response.statusCode(), response.body());
      assertTrue(response.body().contains("does not capture"), response.body());
    }
  }

  @Test
  @Order(2)
  void aJvmTargetsFlightRecorderStreamsIntoTheSameCaptureCountedLikeKernelTypes(@TempDir Path dir)
      throws Exception {
    requireCapture();
    long t0 = System.nanoTime();
    try (AttachServiceProcess service =
        AttachServiceProcess.start(
            AttachServiceProcess.folder(dir), List.of(), List.of(), Map.of(), SERVICE_VALUES)) {
      service.awaitLine("ready");
      long ready = System.nanoTime();
      JsonNode first =
          ok(
              send(
                  "POST",
                  "/api/captures",
                  "{\"probes\":[\"syscalls\"],\"pid\":"
                      + service.pid()
                      + ",\"seconds\":30,\"jfr\":true}"));
      long attached = System.nanoTime();
      String id = first.get("id").asText();
      assertEquals("live_2", first.get("catalog").asText(), "the notebook's jvm cells read it");
      // The first snapshot comes once the probes are attached: the JVM's events from then on count.
      untilStatus(id, s -> s.get("elapsedMs").asLong() > 0);
      long probes = System.nanoTime();
      service.tell("go");
      service.awaitLine("done " + SERVICE_VALUES.size());
      // A running capture's snapshots count the JVM's types beside the kernel's.
      JsonNode running =
          untilStatus(
              id,
              s ->
                  !s.get("state").asText().equals("running")
                      || storedOf(s, "jdk.JavaExceptionThrow") >= SERVICE_VALUES.size());
      assertEquals("running", running.get("state").asText(), running::toString);
      long counted = System.nanoTime();
      ok(send("DELETE", "/api/captures/" + id, null));
      JsonNode ended = untilStatus(id, s -> !s.get("state").asText().equals("running"));
      assertEquals("stored", ended.get("state").asText(), ended::toString);
      System.out.printf(
          "live capture: jfr service ready after %d ms, attached and started %d ms later, first"
              + " snapshot %d ms later, its events counted in a snapshot %d ms later, stored %d ms"
              + " after the stop%n",
          (ready - t0) / 1_000_000,
          (attached - ready) / 1_000_000,
          (probes - attached) / 1_000_000,
          (counted - probes) / 1_000_000,
          (System.nanoTime() - counted) / 1_000_000);
      assertTrue(service.isAlive(), "the attached JVM runs on after the capture");

      // As the service did it, once per value on its own thread, read from a notebook's SQL cell.
      JsonNode planted = rows("jvmservice").get(0);
      int n = SERVICE_VALUES.size();
      assertEquals(n, planted.get(0).asLong(), "one exception thrown per value: " + planted);
      assertEquals(n, planted.get(1).asLong(), "one sized socket write per value: " + planted);
      assertEquals(n, planted.get(2).asLong(), "one park per value: " + planted);
      assertEquals(
          n,
          planted.get(3).asLong(),
          "each worker's kernel rows are in the same capture, on its thread token: " + planted);
      // The stored status counts every JVM type as jvm_events holds it, in that capture.
      Map<String, Long> stored = new TreeMap<>();
      for (JsonNode row : rows("jvmtypes")) {
        stored.put(row.get(0).asText(), row.get(1).asLong());
        assertEquals(ended.get("captureId").asText(), row.get(2).asText(), row::toString);
      }
      Map<String, Long> inStatus = new TreeMap<>();
      for (JsonNode type : ended.get("types")) {
        if (type.get("type").asText().startsWith("jdk.")) {
          inStatus.put(type.get("type").asText(), type.get("stored").asLong());
        }
      }
      System.out.printf(
          "live capture: %s with jfr: jvm_events by type %s; status counted %s; %d kernel events"
              + " stored%n",
          id, stored, inStatus, ended.get("stored").asLong());
      assertEquals(stored, inStatus);
    }
  }

  @Test
  void jfrOnAProcessThatRunsNoJvmIsRefusedWithTheReasonAndNothingIsCreated() throws Exception {
    requireCapture();
    long before = liveFiles();
    HttpResponse<String> refused =
        send(
            "POST",
            "/api/captures",
            "{\"probes\":[\"process\"],\"pid\":" + child.pid() + ",\"seconds\":2,\"jfr\":true}");
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("runs no JVM"), refused.body());
    assertEquals(before, liveFiles(), "no store file for a refused capture");
    assertTrue(child.isAlive(), "the process was not signalled");
  }

  private long liveFiles() throws Exception {
    if (!Files.isDirectory(live.liveFolder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(live.liveFolder)) {
      return files.count();
    }
  }

  /** Polls a capture's state until {@code done} holds; the class's timeout bounds the wait. */
  private JsonNode untilStatus(String id, Predicate<JsonNode> done) throws Exception {
    while (true) {
      JsonNode status = ok(send("GET", "/api/captures/" + id, null));
      if (done.test(status)) {
        return status;
      }
      Thread.sleep(100);
    }
  }

  private static long storedOf(JsonNode status, String type) {
    for (JsonNode t : status.get("types")) {
      if (t.get("type").asText().equals(type)) {
        return t.get("stored").asLong();
      }
    }
    return 0;
  }

  private JsonNode rows(String cell) throws Exception {
    JsonNode output =
        ok(send("POST", "/api/notebooks/" + NOTEBOOK + "/cells/" + cell + "/run", null));
    assertEquals("table", output.get("kind").asText(), output::toString);
    return output.get("rows");
  }

  private void assertBad(String body, String message) throws Exception {
    HttpResponse<String> response = send("POST", "/api/captures", body);
    assertEquals(400, response.statusCode(), body + " -> " + response.body());
    assertTrue(response.body().contains(message), body + " -> " + response.body());
  }
}
