package dev.tracefix.server.report;

import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.AWS_KEY_ID;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.BEARER_SECRET;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.CARD;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.CARD_DASHED;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.EMAIL;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.JWT;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.recognize.PlantedSecrets;
import dev.tracefix.server.cli.Main;
import dev.tracefix.sink.EventStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets planted in a real store (process names and cgroups, captures columns and lists, events,
 * stacks) and a notebook (prose, SQL literals) go through the real {@code tracefix export} and
 * {@code tracefix report} (Markdown and HTML): no planted form may appear in a Parquet file, a
 * folder name, a report or what the commands print; a SQL cell over {@code processes}, a Java
 * cell's output and cell error messages included. The report's privacy line must state exactly what
 * the report's redaction replaced.
 */
class ReportRedactionTest {
  private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Z][A-Z0-9_]*):[0-9a-f]{8}>");
  private static final Pattern COUNT_ROW =
      Pattern.compile("(?m)^\\| ([A-Z][A-Z0-9_]*) \\| (\\d+) \\|$");

  @TempDir Path dir;

  private static final String NOTEBOOK =
      """
      # Leak review

      Paged by %1$s; the ticket quoted `Bearer %2$s` and `password=%3$s`.

      ```sql name=procs
      SELECT token, comm, cgroup, container FROM processes ORDER BY token
      ```

      ```sql name=caps
      SELECT capture_id, host, session_id, attestation, probes, key_ids FROM captures
      ORDER BY capture_id
      ```

      ```sql
      SELECT e.time, e.symbol, s.frames FROM events e LEFT JOIN stacks s USING (capture_id)
      ORDER BY e.time
      ```

      ```java
      String.join(" | ", result("procs").stream().map(r -> r.get("cgroup") + " " + r.get("comm")).toList())
      ```

      ```java
      if (true) throw new IllegalStateException("login rejected: " + result("procs").get(3).get("cgroup"));
      ```

      ```sql
      SELECT CAST('password=%3$s' AS INTEGER)
      ```

      ```sql
      SELECT * FROM "Bearer_%4$s"
      ```
      """;

  private record Run(int exit, String out) {}

  @Test
  void noPlantedSecretReachesTheExportTheReportsOrTheConsoleAndTheCountsAreExact()
      throws Exception {
    Path db = dir.resolve("store.duckdb");
    Path keys = dir.resolve("keys");
    Path export = dir.resolve("export");
    Path md = dir.resolve("out/report.md");
    Path html = dir.resolve("out/report.html");
    Path notebook =
        Files.writeString(
            dir.resolve("leak-review.md"),
            String.format(NOTEBOOK, EMAIL, BEARER_SECRET, PASSWORD, JWT));
    String storeText;
    try (EventStore store = EventStore.open(db)) {
      plant(store);
      try (Connection c = store.connect()) {
        storeText =
            decoded(c, "SELECT * FROM processes")
                + decoded(c, "SELECT * FROM captures")
                + decoded(c, "SELECT * FROM events")
                + decoded(c, "SELECT * FROM stacks");
      }
    }

    StringBuilder console = new StringBuilder();
    Run exported =
        cli(
            "export",
            "--db",
            db.toString(),
            "--parquet",
            export.toString(),
            "--keys",
            keys.toString());
    console.append(exported.out());
    assertEquals(0, exported.exit(), exported.out());
    for (Path out : List.of(md, html)) {
      Run r =
          cli(
              "report",
              notebook.toString(),
              "--db",
              db.toString(),
              "--out",
              out.toString(),
              "--keys",
              keys.toString());
      console.append(r.out());
      assertEquals(0, r.exit(), r.out());
    }

    Map<String, String> channels = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> all = Files.walk(export)) {
      files = all.filter(Files::isRegularFile).sorted().toList();
    }
    channels.put(
        "partition paths",
        String.join("\n", files.stream().map(f -> export.relativize(f).toString()).toList()));
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
      StringBuilder decodedFiles = new StringBuilder();
      StringBuilder rawFiles = new StringBuilder();
      for (Path f : files) {
        decodedFiles.append(decoded(c, "SELECT * FROM read_parquet('" + f + "')"));
        rawFiles.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
      channels.put("parquet files, decoded (" + files.size() + ")", decodedFiles.toString());
      channels.put("parquet files, raw bytes", rawFiles.toString());
    }
    String mdText = Files.readString(md);
    String htmlText = Files.readString(html);
    channels.put("report.md", mdText);
    channels.put("report.html", htmlText);
    channels.put("console (export, report x2)", console.toString());

    List<String> control = PlantedSecrets.foundIn(storeText + Files.readString(notebook));
    System.out.printf(
        "ReportRedactionTest: %d planted values (%d forms); control: %d forms found in the store"
            + " and notebook%n",
        PlantedSecrets.all().size(), PlantedSecrets.formCount(), control.size());
    Map<String, List<String>> found = new LinkedHashMap<>();
    channels.forEach((channel, text) -> found.put(channel, PlantedSecrets.foundIn(text)));
    found.forEach(
        (channel, hits) ->
            System.out.printf(
                "  %-40s planted forms found: %d %s%n",
                channel, hits.size(), hits.isEmpty() ? "" : hits));
    for (PlantedSecrets p : PlantedSecrets.all()) {
      assertTrue(control.contains(p.type() + " " + p.secret()), "control lacks " + p);
    }
    found.forEach((channel, hits) -> assertEquals(List.of(), hits, channel));

    // The cells really ran: a table of processes, the Java cell's text, the errors.
    assertTrue(mdText.contains("#### Cell procs (sql"), mdText);
    assertTrue(mdText.contains("```text\n\"/system.slice/Bearer_<AUTH:"), "the Java cell's text");
    assertTrue(mdText.contains("login rejected: password=\\<SECRET:"), "the Java cell's error");
    assertTrue(mdText.contains("Failed (sql)"), mdText);

    // The attestation's counts are what the report's placeholders show, type by type.
    String attestation = mdText.substring(mdText.indexOf("### This report"));
    Map<String, Long> stated = new TreeMap<>();
    Matcher rows = COUNT_ROW.matcher(attestation);
    while (rows.find()) {
      stated.put(rows.group(1), Long.parseLong(rows.group(2)));
    }
    Map<String, Long> shownMd = placeholders(mdText.replace("\\<", "<").replace("\\>", ">"));
    String body = htmlText.substring(htmlText.indexOf("<main>"));
    Map<String, Long> shownHtml = placeholders(body.replace("&lt;", "<").replace("&gt;", ">"));
    long total = stated.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        "  report line states %d replaced %s; placeholders in md %s, in html %s%n",
        total, stated, shownMd, shownHtml);
    assertEquals(stated, shownMd);
    assertEquals(stated, shownHtml);
    assertTrue(attestation.contains("; " + total + " values were replaced"), attestation);
    for (String type : List.of("JWT", "AUTH", "SECRET", "EMAIL", "CARD", "AWS_KEY_ID")) {
      assertTrue(stated.getOrDefault(type, 0L) > 0, type + " in " + stated);
    }
  }

  private static Map<String, Long> placeholders(String text) {
    Map<String, Long> counts = new TreeMap<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      counts.merge(m.group(1), 1L, Long::sum);
    }
    return counts;
  }

  /** Two captures, one on a host named by an address; processes, events and stacks with secrets. */
  private static void plant(EventStore store) throws SQLException {
    try (Connection c = store.connect();
        Statement s = c.createStatement()) {
      for (String[] capture : new String[][] {{"c-1", "node-a"}, {"c-2", "10.20.30.40"}}) {
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO captures (capture_id, host, started_at, ended_at, probes,"
                    + " event_count, drop_count, key_id, session_id, kernel, policy_hash, key_ids,"
                    + " attestation) VALUES (?, ?, now()::TIMESTAMP - INTERVAL 10 MINUTE,"
                    + " now()::TIMESTAMP - INTERVAL 5 MINUTE, ['syscalls', ?], 3, 0, 'k_1', ?,"
                    + " '6.18', 'sha256:ab', ['k_1', ?], ?)")) {
          p.setString(1, capture[0]);
          p.setString(2, capture[1]);
          p.setString(3, "uprobe:" + EMAIL);
          p.setString(4, "session Bearer " + BEARER_SECRET);
          p.setString(5, AWS_KEY_ID);
          p.setString(
              6,
              "{\"policyName\":\"password="
                  + PASSWORD
                  + "\",\"owner\":\""
                  + EMAIL
                  + "\",\"noPayloadBytesCaptured\":true}");
          p.executeUpdate();
        }
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id,"
                  + " container) VALUES (?, ?, ?, 'b1', ?, 'e_01', 'k_1', ?)")) {
        String[][] rows = {
          {
            "c-1",
            "p_a1",
            PlantedSecrets.prefix15("Bearer " + BEARER_SECRET),
            "/system.slice/Bearer_" + BEARER_SECRET + ".scope",
            null
          },
          {
            "c-1",
            "p_a2",
            PlantedSecrets.prefix15("password=" + PASSWORD),
            "/user.slice/app-Bearer_" + JWT + ".scope",
            "ctr-" + AWS_KEY_ID
          },
          {"c-2", "p_b1", PlantedSecrets.prefix15(EMAIL), "/x/" + EMAIL, null},
          {
            "c-2", "p_b2", JWT, "password=" + PASSWORD + " card " + CARD + " / " + CARD_DASHED, null
          },
        };
        for (String[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            p.setString(i + 1, row[i]);
          }
          p.addBatch();
        }
        p.executeBatch();
      }
      s.execute(
          "INSERT INTO events (capture_id, time, type, process_token, symbol) VALUES"
              + " ('c-1', now()::TIMESTAMP - INTERVAL 9 MINUTE, 'uprobe', 'p_a1', 'login "
              + EMAIL
              + "'), ('c-2', now()::TIMESTAMP - INTERVAL 8 MINUTE, 'uprobe', 'p_b2', '"
              + AWS_KEY_ID
              + "')");
      s.execute(
          "INSERT INTO stacks (capture_id, stack_id, build_id, frames) VALUES ('c-1', 1,"
              + " 'b1', ['main', 'Bearer "
              + BEARER_SECRET
              + "', '"
              + CARD
              + "'])");
    }
  }

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    try {
      int exit = Main.commandLine().execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String decoded(Connection c, String sql) throws SQLException {
    StringBuilder text = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          if (v instanceof java.sql.Array a) {
            v = java.util.Arrays.toString((Object[]) a.getArray());
          }
          text.append(v).append('\n');
        }
      }
    }
    return text.toString();
  }
}
