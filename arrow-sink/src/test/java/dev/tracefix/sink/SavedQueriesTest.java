package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.TriggerFiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file in the project's {@code queries/} folder has a header (title, parameters with an
 * example value each, description) and runs against a store with generated captures.
 */
class SavedQueriesTest {
  static final Path QUERIES = Path.of("..", "queries");
  private static final Pattern PARAMETER =
      Pattern.compile("\\$([a-z_]+)\\s*=\\s*('[^']*'|[0-9.]+)");

  @TempDir Path tmp;

  /** A parsed saved query: header fields and the SQL. */
  record SavedQuery(
      Path file, String title, Map<String, String> parameters, String description, String sql) {
    String boundSql() {
      String bound = sql;
      for (var p : parameters.entrySet()) {
        bound = bound.replace("$" + p.getKey(), p.getValue());
      }
      return bound;
    }

    static SavedQuery parse(Path file) throws IOException {
      Map<String, StringBuilder> header = new LinkedHashMap<>();
      StringBuilder sql = new StringBuilder();
      String key = null;
      for (String line : Files.readAllLines(file)) {
        if (sql.isEmpty() && line.startsWith("--   ") && key != null) {
          header.get(key).append(' ').append(line.substring(5).strip());
        } else if (sql.isEmpty() && line.matches("-- [a-z]+: .*")) {
          key = line.substring(3, line.indexOf(':'));
          header.put(key, new StringBuilder(line.substring(line.indexOf(':') + 1).strip()));
        } else {
          sql.append(line).append('\n');
        }
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      String declared = String.valueOf(header.get("parameters"));
      if (!declared.equals("none")) {
        Matcher m = PARAMETER.matcher(declared);
        while (m.find()) {
          parameters.put(m.group(1), m.group(2));
        }
      }
      return new SavedQuery(
          file,
          String.valueOf(header.get("title")),
          parameters,
          String.valueOf(header.get("description")),
          sql.toString().strip());
    }
  }

  static List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(QUERIES)) {
      return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
  }

  /**
   * What the generated captures lack: stacks on syscall events, off-CPU waits with stacks, and a
   * trigger firing whose window holds failures before it and stacked events while it was on.
   */
  private static void writeStackedCapture(EventStore store) {
    long t0 = 1_767_225_600_000_000_000L;
    long ms = 1_000_000L;
    String token = "tok-stacked";
    try (CaptureWriter writer = store.beginCapture("cap-stacks", "node-s")) {
      writer.onProcess(new SafeProcess(token, "checkout", null, "/svc.slice/checkout", "e1", "k1"));
      writer.onStack(
          new SafeStack(
              11L,
              List.of("libc.so.6!__write+0x10", "checkout!send_reply+0x1d"),
              List.of("do_syscall_64+0x22e"),
              null));
      writer.onStack(
          new SafeStack(
              12L,
              List.of("libc.so.6!__futex+0x20", "checkout!take_lock+0x9"),
              List.of("__schedule+0x618", "futex_wait+0x12"),
              null));
      List<SafeEvent> events = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        boolean failing = i < 10;
        events.add(
            SafeEvent.builder(t0 + i * ms, EventType.SYSCALL, token, "k1")
                .syscall(failing ? "connect" : "write")
                .errno(failing ? 110 : 0)
                .durationNs(failing ? 50 * ms : 20_000)
                .stackId(failing ? 0 : 11L)
                .build());
        events.add(
            SafeEvent.builder(t0 + i * ms + 500_000, EventType.OFF_CPU, token, "k1")
                .durationNs((i % 3 + 1) * 2 * ms)
                .threadToken("t_" + (i % 2))
                .waitState(i % 2 == 0 ? "blocked" : "sleeping")
                .stackId(12L)
                .build());
      }
      writer.onEvents(events);
      writer.onTriggerFiring(
          new TriggerFiring(
              "ETIMEDOUT > 5/s -> stacks for 20ms",
              t0 + 10 * ms,
              t0 + 30 * ms,
              6,
              5,
              List.of("stacks")));
      writer.finish(
          new CaptureSummary(
              "cap-stacks",
              java.time.Instant.ofEpochSecond(1_767_225_600),
              java.time.Instant.ofEpochSecond(1_767_225_601),
              List.of(),
              events.size(),
              0,
              "k1",
              -1,
              List.of()));
    }
  }

  @Test
  void everySavedQueryHasAHeaderAndRunsWithItsParameters() throws Exception {
    List<Path> files = files();
    assertTrue(files.size() >= 4, "saved queries in " + QUERIES.toAbsolutePath() + ": " + files);
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(tmp.resolve("q.duckdb"), allocator)) {
      for (int c = 0; c < 2; c++) {
        SyntheticCapture capture = SyntheticCapture.generate("cap-q" + c, 40_000, 30 + c);
        try (CaptureWriter writer = store.beginCapture("cap-q" + c, "node-" + c)) {
          capture.writeTo(writer, 4_096);
          writer.finish(capture.summary());
        }
      }
      writeStackedCapture(store);
      dev.tracefix.sink.jvm.JvmAndKernelCapture.write(store, allocator, "cap-jvm");
      try (Connection connection = store.connect();
          Statement s = connection.createStatement()) {
        for (Path file : files) {
          SavedQuery q = SavedQuery.parse(file);
          assertFalse(q.title().isBlank() || q.title().equals("null"), file + ": no title");
          assertFalse(q.description().equals("null"), file + ": no description");
          int declared =
              (int)
                  Pattern.compile("\\$[a-z_]+")
                      .matcher(q.sql())
                      .results()
                      .map(r -> r.group())
                      .distinct()
                      .count();
          assertEquals(declared, q.parameters().size(), file + ": every $parameter has a value");
          long rows = 0;
          try (ResultSet rs = s.executeQuery(q.boundSql())) {
            while (rs.next()) {
              rows++;
            }
          }
          System.out.printf(
              "SavedQueriesTest: %s (%s) %s -> %d rows%n",
              file.getFileName(), q.title(), q.parameters(), rows);
          assertTrue(rows > 0, file + " returned no rows on generated data");
        }
      }
    }
  }
}
