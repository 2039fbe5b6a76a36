package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a file against the Trace Event Format (the JSON Object Format of Chrome's "Trace Event
 * Format" document, which Perfetto's JSON importer reads): an object whose {@code traceEvents} is
 * an array of events; every event has a {@code ph} and a {@code name} and integer {@code pid} and
 * {@code tid}; complete events ({@code X}) a {@code ts} and a non-negative {@code dur} in
 * microseconds; instant events ({@code i}) a {@code ts} and a scope {@code s} of {@code g}, {@code
 * p} or {@code t}; metadata events ({@code M}) {@code process_name}, {@code thread_name} and the
 * like with {@code args.name}; {@code displayTimeUnit}, when present, {@code ms} or {@code ns}.
 * Only the phases tracefix writes are accepted, so a new one must be added here.
 */
final class TraceEventFormat {
  private static final Set<String> METADATA =
      Set.of(
          "process_name",
          "process_labels",
          "process_sort_index",
          "thread_name",
          "thread_sort_index");

  /** The counts of each phase seen. */
  record Counts(int complete, int instant, int metadata) {}

  private TraceEventFormat() {}

  static Counts check(JsonNode file) {
    assertTrue(file.isObject(), "the JSON Object Format is an object");
    JsonNode events = file.get("traceEvents");
    assertTrue(events != null && events.isArray(), "traceEvents must be an array");
    if (file.has("displayTimeUnit")) {
      assertTrue(Set.of("ms", "ns").contains(file.get("displayTimeUnit").asText()));
    }
    int complete = 0;
    int instant = 0;
    int metadata = 0;
    Set<String> named = new HashSet<>();
    Set<String> used = new HashSet<>();
    for (JsonNode e : events) {
      assertTrue(e.path("name").isTextual(), "every event has a name: " + e);
      assertTrue(e.path("pid").isIntegralNumber(), "pid is an integer: " + e);
      assertTrue(e.path("tid").isIntegralNumber(), "tid is an integer: " + e);
      String thread = e.get("pid").asLong() + "/" + e.get("tid").asLong();
      switch (e.path("ph").asText()) {
        case "X" -> {
          assertTrue(e.path("ts").isNumber(), "ts in microseconds: " + e);
          assertTrue(e.path("dur").isNumber() && e.get("dur").asDouble() >= 0, "dur >= 0: " + e);
          used.add(thread);
          complete++;
        }
        case "i" -> {
          assertTrue(e.path("ts").isNumber(), "ts in microseconds: " + e);
          assertTrue(Set.of("g", "p", "t").contains(e.path("s").asText()), "scope g/p/t: " + e);
          used.add(thread);
          instant++;
        }
        case "M" -> {
          assertTrue(METADATA.contains(e.get("name").asText()), "metadata name: " + e);
          assertTrue(e.path("args").path("name").isTextual(), "metadata args.name: " + e);
          if (e.get("name").asText().equals("thread_name")) {
            named.add(thread);
          }
          metadata++;
        }
        default -> throw new AssertionError("a phase tracefix does not write: " + e);
      }
      if (e.has("args")) {
        assertTrue(e.get("args").isObject(), "args is an object: " + e);
      }
    }
    used.removeAll(named);
    assertEquals(Set.of(), used, "every thread an event is on is named by a thread_name event");
    return new Counts(complete, instant, metadata);
  }
}
