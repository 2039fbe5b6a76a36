package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flame graphs of a cell's result from the store's {@code stacks} on a real server: the path from
 * main through libjvm and JIT-compiled Java into the kernel, each frame's kind, offsets merged;
 * weights by events and by duration; a differential graph between the writes and the reads; the
 * folded-text export checked against the format flamegraph.pl and speedscope read.
 */
class FlameRouteTest {
  private static final String BASE = "/api/notebooks/" + TraceViewsFixture.NOTEBOOK;
  private static final int BULK = 1000; // half writes (stack 11), half reads (stack 13)
  private static final int WRITES = BULK / 2 + 1;
  private static final int READS = BULK / 2 + 1;

  @TempDir Path dir;

  @Test
  void aSelectionsStacksMergeFromMainIntoTheKernelWithEachFramesKind() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, BULK)) {
      ApiClient api = new ApiClient(fixture);
      api.run(TraceViewsFixture.NOTEBOOK, "writes");
      JsonNode flame = ApiClient.json(api.get(BASE + "/flame?cell=writes"));
      assertEquals("events", flame.get("weight").asText());
      assertEquals(WRITES, flame.get("total").asLong());
      assertEquals(WRITES, flame.get("events").asLong());
      assertEquals(0, flame.get("withoutStack").asLong());
      List<String> path = new ArrayList<>();
      JsonNode node = flame.get("root");
      while (node.get("children").size() > 0) {
        assertEquals(1, node.get("children").size(), "one code path: " + node);
        node = node.get("children").get(0);
        path.add(node.get("kind").asText() + " " + node.get("name").asText());
        assertEquals(WRITES, node.get("value").asLong());
      }
      assertEquals(
          List.of(
              "user java!main",
              "jvm libjvm.so!JavaCalls::call",
              "jvm [jit]!void Client.send(byte[])",
              "user libc.so.6!__write",
              "kernel entry_SYSCALL_64_after_hwframe",
              "kernel __sys_sendto",
              "kernel tcp_sendmsg"),
          path);

      api.run(TraceViewsFixture.NOTEBOOK, "write_time");
      JsonNode byTime = ApiClient.json(api.get(BASE + "/flame?cell=writes&weight=duration"));
      JsonNode expected = api.run(TraceViewsFixture.NOTEBOOK, "write_time").get("rows").get(0);
      assertEquals(expected.get(0).asLong(), byTime.get("total").asLong(), "sum of duration_ns");
    }
  }

  @Test
  void theDifferentialGraphCarriesBothSelectionsWeights() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, BULK)) {
      ApiClient api = new ApiClient(fixture);
      api.run(TraceViewsFixture.NOTEBOOK, "writes");
      api.run(TraceViewsFixture.NOTEBOOK, "reads");
      JsonNode diff = ApiClient.json(api.get(BASE + "/flame?cell=writes&against=reads"));
      assertEquals(WRITES, diff.get("total").asLong());
      assertEquals(READS, diff.get("baselineTotal").asLong());
      JsonNode jvm = diff.get("root").get("children").get(0).get("children").get(0);
      assertEquals("libjvm.so!JavaCalls::call", jvm.get("name").asText());
      assertEquals(WRITES, jvm.get("value").asLong());
      assertEquals(READS, jvm.get("baseline").asLong(), "both selections pass through it");
      JsonNode send =
          TimelineRouteTest.find(jvm.get("children"), "name", "[jit]!void Client.send(byte[])");
      assertEquals(WRITES, send.get("value").asLong());
      assertEquals(0, send.get("baseline").asLong(), "only the writes send");
      JsonNode receive =
          TimelineRouteTest.find(jvm.get("children"), "name", "[jit]!int Client.receive()");
      assertEquals(0, receive.get("value").asLong());
      assertEquals(READS, receive.get("baseline").asLong(), "only the reads receive");
    }
  }

  /**
   * The folded format as flamegraph.pl's stackcollapse output and speedscope's importer define it:
   * one stack per line, frames root first separated by ';', then one space and a count; frames
   * non-empty; flamegraph.pl's --colors=java annotations _[k] and _[j].
   */
  @Test
  void foldedTextFollowsTheFormatFlamegraphAndSpeedscopeRead() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, BULK)) {
      ApiClient api = new ApiClient(fixture);
      api.run(TraceViewsFixture.NOTEBOOK, "all");
      HttpResponse<String> response = api.get(BASE + "/flame.folded?cell=all");
      assertEquals(200, response.statusCode(), response.body());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      Pattern line = Pattern.compile("^(.+) (\\d+)$");
      long total = 0;
      List<String> stacks = new ArrayList<>();
      for (String text : response.body().split("\n", -1)) {
        if (text.isEmpty()) {
          continue;
        }
        Matcher m = line.matcher(text);
        assertTrue(m.matches(), "not 'frame;frame count': " + text);
        for (String frame : m.group(1).split(";", -1)) {
          assertFalse(frame.isEmpty(), "empty frame in " + text);
          assertFalse(frame.matches(".*\\+0x[0-9a-f]+(_\\[[kj]])?$"), "offset left in " + frame);
        }
        total += Long.parseLong(m.group(2));
        stacks.add(m.group(1));
      }
      assertTrue(response.body().endsWith("\n"));
      assertEquals(WRITES + READS + 2, total, "writes, reads, the accept and the connect");
      assertEquals(3, stacks.size(), "stacks 11, 12, 13: " + stacks);
      assertTrue(
          stacks.contains(
              "java!main;libjvm.so!JavaCalls::call_[j];[jit]!void Client.send(byte[])_[j];"
                  + "libc.so.6!__write;entry_SYSCALL_64_after_hwframe_[k];__sys_sendto_[k];tcp_sendmsg_[k]"),
          stacks.toString());
    }
  }

  @Test
  void aSelectionWithoutStacksIsRefusedNamingTheColumn() throws Exception {
    try (WorkbenchFixture fixture = TraceViewsFixture.start(dir, 0)) {
      ApiClient api = new ApiClient(fixture);
      api.run(TraceViewsFixture.NOTEBOOK, "latencies");
      HttpResponse<String> r = api.get(BASE + "/flame?cell=latencies");
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("'stack_id'"), r.body());
      assertEquals(400, api.get(BASE + "/flame").statusCode());
      api.run(TraceViewsFixture.NOTEBOOK, "writes");
      assertEquals(400, api.get(BASE + "/flame?cell=writes&weight=bytes").statusCode());
    }
  }
}
