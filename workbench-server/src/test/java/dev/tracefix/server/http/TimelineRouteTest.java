package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeline route on a real server over a real store: tracks per thread, process and connection,
 * slices with their errno, instants; a million events in view answer with a payload bounded by the
 * width, every call accounted for in a slice or a bucket; zoomed in, a slice leads to its row of
 * the cell's result.
 */
class TimelineRouteTest {
  private static final String BASE = "/api/notebooks/" + TraceViewsFixture.NOTEBOOK;
  // Bounds the route promises (TimelineQuery): tracks 500, slices 10000, buckets about 20000.
  private static final int MAX_SLICES = 10_000;
  private static final int MAX_BUCKETS = 20_000;

  @TempDir Path dir;

  @Test
  void theStoresEventsDrawAsTracksSlicesAndInstants() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, 0)) {
      JsonNode t = ApiClient.json(new ApiClient(fixture).get(BASE + "/timeline"));
      assertEquals(TraceStore.KNOWN_EVENTS, t.get("events").asLong());
      // origin: the first moment of the selection, the write that started at 1.0 ms
      assertEquals(Long.toString(TraceStore.START_NS + 1_000_000), t.get("originNs").asText());
      List<String> labels = new ArrayList<>();
      t.get("tracks")
          .forEach(
              track -> labels.add(track.get("kind").asText() + ":" + track.get("label").asText()));
      assertEquals(
          List.of(
              "thread:checkout thread t_main",
              "connection:connection a_conn1",
              "process:inventory p_inventory"),
          labels);
      JsonNode connect = find(t.get("slices"), "name", "connect");
      assertEquals(
          1_000_000, connect.get("startNs").asLong(), "connect started at 2 ms, origin 1 ms");
      assertEquals(50_000_000, connect.get("durationNs").asLong());
      assertEquals(110, connect.get("errno").asInt());
      assertEquals("ETIMEDOUT", connect.get("errnoName").asText());
      assertEquals(-1, connect.get("row").asLong(), "the store's events have no page offset");
      assertEquals(4, t.get("slices").size(), t.get("slices").toString());
      assertEquals(0, t.get("buckets").size(), "every call is wider than a pixel at 100 ms");
      JsonNode state = find(t.get("instants"), "name", "tcp_state");
      assertEquals("SYN_SENT -> ESTABLISHED", state.get("detail").asText());
      assertEquals(1, state.get("track").asInt(), "on the connection's track");
      find(t.get("instants"), "name", "tcp_retransmit");
      find(t.get("instants"), "name", "process_exit");
      assertFalse(t.get("instantsAggregated").asBoolean());
    }
  }

  @Test
  void jvmRowsOfTheSelectionsProcessesDrawOnTracksUnderTheirThreadsKernelTrack() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, JvmTraceRows.withBulk(0))) {
      ApiClient api = new ApiClient(fixture);
      for (String query : List.of("", "?cell=all")) {
        if (!query.isEmpty()) {
          api.run(TraceViewsFixture.NOTEBOOK, "all");
        }
        JsonNode t = ApiClient.json(api.get(BASE + "/timeline" + query));
        long origin = Long.parseLong(t.get("originNs").asText());
        assertEquals(TraceStore.START_NS + 1_000_000, origin, "JVM rows do not move the origin");
        assertEquals(TraceStore.KNOWN_EVENTS + JvmTraceRows.DRAWN, t.get("events").asLong());
        assertEquals(JvmTraceRows.DRAWN, t.get("jvmEvents").asLong());
        List<String> tracks = new ArrayList<>();
        t.get("tracks")
            .forEach(
                track ->
                    tracks.add(
                        track.get("kind").asText()
                            + ":"
                            + track.get("label").asText()
                            + ":"
                            + track.get("parent").asInt()));
        assertEquals(
            List.of(
                "jvm:JVM GC, safepoints:-1",
                "thread:checkout thread t_main:-1",
                "jvm:JVM main:1",
                "jvm:JVM parker:-1",
                "connection:connection a_conn1:-1",
                "process:inventory p_inventory:-1"),
            tracks,
            "the JVM track of t_main right under its kernel track" + query);
        int spans = 0;
        for (JvmTraceRows.Row row : JvmTraceRows.ROWS) {
          if (!row.drawn()) {
            continue;
          }
          int track = trackOf(t, "jvm", row.thread() == null ? row.process() : row.thread());
          String detail = row.objectClass() != null ? row.objectClass() : row.gcName();
          if (row.durationNs() > 0) {
            spans++;
            String name = row.type() + (detail == null ? "" : " " + detail);
            JsonNode slice = find(t.get("slices"), "name", name);
            assertEquals(track, slice.get("track").asInt(), name);
            assertEquals(row.startNs() - origin, slice.get("startNs").asLong(), name);
            assertEquals(row.durationNs(), slice.get("durationNs").asLong(), name);
            assertEquals(-1, slice.get("row").asLong(), "a JVM row is no row of the selection");
          } else {
            JsonNode mark = find(t.get("instants"), "name", row.type());
            assertEquals(track, mark.get("track").asInt());
            assertEquals(row.startNs() - origin, mark.get("atNs").asLong());
            assertEquals(detail, mark.get("detail").asText());
          }
        }
        assertEquals(4 + spans, t.get("slices").size(), t.get("slices").toString());
        assertEquals(3 + 1, t.get("instants").size(), t.get("instants").toString());
        if (!query.isEmpty()) {
          assertTrue(
              find(t.get("slices"), "name", "connect").get("row").asLong() >= 0,
              "kernel slices still lead to their row of the cell's result");
        }
      }
      // A window of 50..60 ms after the store's origin: the lock wait and the exception of
      // t_main; the GC pause, the safepoint, the park and the socket write lie outside.
      JsonNode w = ApiClient.json(api.get(BASE + "/timeline?from=50000000&to=60000000"));
      assertEquals(2, w.get("jvmEvents").asLong(), w.toString());
    }
  }

  private static int trackOf(JsonNode timeline, String kind, String id) {
    JsonNode tracks = timeline.get("tracks");
    for (int i = 0; i < tracks.size(); i++) {
      if (tracks.get(i).get("kind").asText().equals(kind)
          && tracks.get(i).get("id").asText().equals(id)) {
        return i;
      }
    }
    throw new AssertionError("no " + kind + " track " + id + " in " + tracks);
  }

  @Test
  void aMillionEventsInViewAnswerWithABoundedPayloadAndZoomLeadsToRows() throws Exception {
    int bulk = 1_000_000;
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, bulk)) {
      ApiClient api = new ApiClient(fixture);
      assertEquals("table", api.run(TraceViewsFixture.NOTEBOOK, "all").get("kind").asText());
      long start = System.nanoTime();
      HttpResponse<String> whole = api.get(BASE + "/timeline?cell=all&width=1500");
      long ms = (System.nanoTime() - start) / 1_000_000;
      JsonNode t = ApiClient.json(whole);
      assertEquals(bulk + TraceStore.KNOWN_EVENTS, t.get("events").asLong());
      int tracks = t.get("tracks").size();
      assertEquals(
          11, tracks, "t_main, 8 bulk threads, the connection, inventory: " + t.get("tracks"));
      assertTrue(t.get("slices").size() <= MAX_SLICES);
      assertTrue(
          t.get("buckets").size() <= MAX_BUCKETS + 2 * tracks,
          t.get("buckets").size() + " buckets");
      long calls = t.get("slices").size();
      for (JsonNode b : t.get("buckets")) {
        calls += b.get("count").asLong();
      }
      assertEquals(bulk + 4, calls, "every call is a slice or counted in a bucket");
      long errors = 0;
      for (JsonNode b : t.get("buckets")) {
        errors += b.get("errors").asLong();
      }
      assertTrue(errors > 0 && errors <= bulk / 97 + 1, "EAGAIN every 97th call: " + errors);
      System.out.printf(
          "timeline of %d events: %d bytes, %d tracks, %d slices, %d buckets (bucket %d ns), %d ms%n",
          t.get("events").asLong(),
          whole.body().length(),
          tracks,
          t.get("slices").size(),
          t.get("buckets").size(),
          t.get("bucketNs").asLong(),
          ms);
      assertTrue(whole.body().length() < 4 << 20, "payload " + whole.body().length() + " bytes");
      System.out.printf(
          "again (warm): %d ms%n", api.timedGet(BASE + "/timeline?cell=all&width=1500"));

      // Zoom to 50 µs in the middle: every call there is drawn one by one, with its row.
      long from = t.get("extentNs").asLong() / 2;
      JsonNode zoomed =
          ApiClient.json(
              api.get(
                  BASE + "/timeline?cell=all&width=1500&from=" + from + "&to=" + (from + 50_000)));
      assertEquals(0, zoomed.get("buckets").size());
      assertTrue(zoomed.get("slices").size() > 0, zoomed.toString());
      assertEquals(
          zoomed.get("originNs").asText(), t.get("originNs").asText(), "zoom keeps the origin");
      JsonNode slice = zoomed.get("slices").get(0);
      JsonNode page =
          ApiClient.json(
              api.get(BASE + "/cells/all/rows?offset=" + slice.get("row").asLong() + "&limit=1"));
      List<String> columns = new ArrayList<>();
      page.get("columns").forEach(c -> columns.add(c.asText()));
      JsonNode row = page.get("rows").get(0);
      assertEquals(
          slice.get("durationNs").asLong(), row.get(columns.indexOf("duration_ns")).asLong());
      assertEquals(slice.get("name").asText(), row.get(columns.indexOf("syscall")).asText());
    }
  }

  @Test
  void wrongRequestsAreRefusedWithTheReason() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, 0)) {
      ApiClient api = new ApiClient(fixture);
      assertEquals(404, api.get(BASE + "/timeline?cell=nope").statusCode());
      HttpResponse<String> notRun = api.get(BASE + "/timeline?cell=all");
      assertEquals(404, notRun.statusCode());
      assertTrue(notRun.body().contains("run it first"), notRun.body());
      HttpResponse<String> width = api.get(BASE + "/timeline?width=0");
      assertEquals(400, width.statusCode());
      assertTrue(width.body().contains("width"), width.body());
      assertEquals(400, api.get(BASE + "/timeline?from=abc").statusCode());
      api.run(TraceViewsFixture.NOTEBOOK, "latencies");
      HttpResponse<String> noTime = api.get(BASE + "/timeline?cell=latencies");
      assertEquals(400, noTime.statusCode());
      assertTrue(noTime.body().contains("'time'"), noTime.body());
      api.run(TraceViewsFixture.NOTEBOOK, "numeric_time");
      HttpResponse<String> numeric = api.get(BASE + "/timeline?cell=numeric_time");
      assertEquals(400, numeric.statusCode(), numeric.body());
      assertTrue(numeric.body().contains("to be a timestamp"), numeric.body());
    }
  }

  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.path(field).asText())) {
        return n;
      }
    }
    throw new AssertionError("no element with " + field + "=" + value + " in " + array);
  }
}
