package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timeline selection exported as Chrome Trace Event JSON from a real server, checked against the
 * format ({@link TraceEventFormat}): calls as complete events with microsecond times from the
 * selection's origin, TCP and process events as instants, every thread named; a window exports only
 * what it shows; nothing but tokens and hashes names a process, thread or connection.
 */
class TraceExportTest {
  private static final String BASE = "/api/notebooks/" + TraceViewsFixture.NOTEBOOK;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aCellsResultExportsAsTraceEventFormat() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, 1000)) {
      ApiClient api = new ApiClient(fixture);
      api.run(TraceViewsFixture.NOTEBOOK, "all");
      HttpResponse<String> r = api.get(BASE + "/timeline.json?cell=all");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(
          r.headers().firstValue("Content-Disposition").orElse("").contains("all.trace.json"));
      JsonNode file = JSON.readTree(r.body());
      TraceEventFormat.Counts counts = TraceEventFormat.check(file);
      assertEquals(1000 + 4, counts.complete(), "every call");
      assertEquals(3, counts.instant(), "state change, retransmit, exit");
      assertEquals(
          Long.toString(TraceStore.START_NS + 1_000_000),
          file.get("otherData").get("origin_epoch_ns").asText());
      JsonNode connect = TimelineRouteTest.find(file.get("traceEvents"), "name", "connect");
      assertEquals(1000.0, connect.get("ts").asDouble(), "started 1 ms after the origin, in µs");
      assertEquals(50_000.0, connect.get("dur").asDouble());
      assertEquals("ETIMEDOUT", connect.get("args").get("errno_name").asText());
      JsonNode state = TimelineRouteTest.find(file.get("traceEvents"), "cat", "tcp_state");
      assertEquals("SYN_SENT -> ESTABLISHED", state.get("args").get("transition").asText());
      assertFalse(
          r.body().matches("(?s).*\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b.*"),
          "no address");
      for (JsonNode e : file.get("traceEvents")) {
        if (e.get("ph").asText().equals("M")) {
          assertTrue(
              e.get("args").get("name").asText().matches("(process|thread|connection) [pta]_\\w+"),
              "named by its token: " + e);
        }
      }
    }
  }

  @Test
  void jvmRowsExportOnThreadsOfTheirOwnBesideTheKernelThreads() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, JvmTraceRows.withBulk(0))) {
      HttpResponse<String> r = new ApiClient(fixture).get(BASE + "/timeline.json");
      assertEquals(200, r.statusCode(), r.body());
      JsonNode file = JSON.readTree(r.body());
      TraceEventFormat.Counts counts = TraceEventFormat.check(file);
      long spans = JvmTraceRows.ROWS.stream().filter(x -> x.drawn() && x.durationMs() > 0).count();
      assertEquals(4 + spans, counts.complete(), "every call and every JVM span");
      assertEquals(3 + JvmTraceRows.DRAWN - spans, counts.instant(), "and the exception thrown");
      JsonNode lock =
          TimelineRouteTest.find(
              file.get("traceEvents"), "name", "jdk.JavaMonitorEnter Orders$Lock");
      assertEquals("jvm", lock.get("cat").asText());
      assertEquals(
          54_000.0, lock.get("ts").asDouble(), "started 55 ms after START, 54 after the origin");
      assertEquals(4_000.0, lock.get("dur").asDouble());
      JsonNode thrown =
          TimelineRouteTest.find(file.get("traceEvents"), "name", "jdk.JavaExceptionThrow");
      assertEquals("java.net.SocketTimeoutException", thrown.get("args").get("detail").asText());
      assertEquals(
          lock.get("tid").asInt(), thrown.get("tid").asInt(), "both on t_main's JVM thread");
      List<String> threads = new ArrayList<>();
      for (JsonNode e : file.get("traceEvents")) {
        if (e.get("name").asText().equals("thread_name")) {
          threads.add(e.get("args").get("name").asText());
        }
      }
      assertTrue(threads.contains("jvm thread t_main"), threads.toString());
      assertTrue(threads.contains("jvm process p_checkout"), threads.toString());
      assertFalse(threads.contains("jvm thread t_other"), "another process's rows stay out");
    }
  }

  @Test
  void aWindowOfTheStoresEventsExportsOnlyWhatItShows() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, 1000)) {
      ApiClient api = new ApiClient(fixture);
      // the first 10 ms after the origin: the write, the connect, the accept; the state change
      HttpResponse<String> r = api.get(BASE + "/timeline.json?from=0&to=10000000");
      assertEquals(200, r.statusCode(), r.body());
      TraceEventFormat.Counts counts = TraceEventFormat.check(JSON.readTree(r.body()));
      assertEquals(3, counts.complete());
      assertEquals(1, counts.instant());
    }
  }
}
