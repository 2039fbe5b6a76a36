package dev.tracefix.server.report;

import static dev.tracefix.server.report.ReportTables.AWS_KEY_ID;
import static dev.tracefix.server.report.ReportTables.EMAIL;
import static dev.tracefix.server.report.ReportTables.JWT;
import static dev.tracefix.server.report.ReportTables.PASSWORD;
import static dev.tracefix.server.report.ReportTables.POLICY_HASH;
import static dev.tracefix.server.report.ReportTables.SCRIPT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.run.HeadlessRunner;
import dev.tracefix.server.run.KernelSettings;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportOfHeadlessRunTest {
  private static final List<String> PLANTED = List.of(EMAIL, AWS_KEY_ID, JWT, PASSWORD);

  @TempDir Path dir;

  private record Written(PostmortemReport report, String md, String html) {}

  private Written report(boolean attestedSecond) throws Exception {
    Path notebook = dir.resolve("leaky-postmortem.md");
    try (InputStream in = getClass().getResourceAsStream("/report/leaky-postmortem.md")) {
      Files.copy(in, notebook);
    }
    HmacKey key = KeyStore.current(dir.resolve("keys"));
    Path store = dir.resolve("t.duckdb");
    try (DuckDBConnection root =
        (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + store)) {
      ReportTables.create(root, attestedSecond);
    }
    NotebookDatabases databases = NotebookDatabases.unlocked(store);
    HeadlessRunner runner =
        new HeadlessRunner(
            databases,
            dir,
            Map.of(),
            KernelSettings.DEFAULTS,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    PostmortemReport report =
        NotebookReports.runHeadless(runner, notebook, databases::connect, key);
    Path md = dir.resolve("out/report.md");
    Path html = dir.resolve("out/report.html");
    assertEquals(ReportFormat.MARKDOWN, NotebookReports.write(report, md));
    assertEquals(ReportFormat.HTML, NotebookReports.write(report, html));
    return new Written(report, Files.readString(md), Files.readString(html));
  }

  @Test
  void noPlantedSecretOrAddressReachesEitherReport() throws Exception {
    Written w = report(true);
    for (String planted : PLANTED) {
      assertFalse(w.md().contains(planted), "markdown shows " + planted + ":\n" + w.md());
      assertFalse(w.html().contains(planted), "html shows " + planted);
    }
    for (String type : List.of("EMAIL", "AWS_KEY_ID", "JWT", "SECRET")) {
      Pattern placeholder = Pattern.compile("<" + type + ":[0-9a-f]{8}>");
      Pattern escaped = Pattern.compile("&lt;" + type + ":[0-9a-f]{8}&gt;");
      assertTrue(
          placeholder.matcher(w.md().replace("\\<", "<").replace("\\>", ">")).find(),
          "markdown lacks a " + type + " placeholder");
      assertTrue(escaped.matcher(w.html()).find(), "html lacks a " + type + " placeholder");
      assertTrue(w.report().replacements().getOrDefault(type, 0L) > 0, type);
    }
  }

  @Test
  void theAttestationSectionCarriesThePolicyHashAndTheCountsOfThisReport() throws Exception {
    Written w = report(true);
    String attestation = w.md().substring(w.md().indexOf("## Privacy attestation"));
    assertTrue(attestation.contains(POLICY_HASH), attestation);
    assertTrue(attestation.contains(ReportTables.KEY_ID), attestation);
    assertTrue(attestation.contains(PrivacySection.NO_PAYLOADS), attestation);
    long emails = w.report().replacements().get("EMAIL");
    assertTrue(attestation.contains("| EMAIL | " + emails + " |"), attestation);
    assertTrue(w.html().contains("<h2>Privacy attestation</h2>"), w.html());
    assertTrue(w.html().contains(POLICY_HASH));
  }

  @Test
  void aCaptureWithoutAttestationIsNotRecordedAndNoPayloadClaimIsMade() throws Exception {
    Written w = report(false);
    String attestation = w.md().substring(w.md().indexOf("## Privacy attestation"));
    assertTrue(attestation.contains("**attestation:** not recorded"), attestation);
    assertFalse(w.md().contains(PrivacySection.NO_PAYLOADS), attestation);
    assertFalse(w.html().contains(PrivacySection.NO_PAYLOADS));
    assertTrue(attestation.contains("no attestation recorded for c2"), attestation);
  }

  @Test
  void htmlEscapesMarkupFromCellOutputsAndLoadsNothingExternal() throws Exception {
    Written w = report(true);
    assertFalse(w.html().contains(SCRIPT), "a table value became live markup");
    assertFalse(w.html().contains("<script"), "the page must not carry scripts");
    assertTrue(w.html().contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"), w.html());
    assertFalse(w.md().contains(SCRIPT), "markdown table cells escape markup");
    for (String external : List.of("src=", "href=", "@import", "url(")) {
      assertFalse(w.html().contains(external), "html refers to an external asset: " + external);
    }
    assertTrue(w.html().startsWith("<!DOCTYPE html>"));
    assertTrue(w.html().contains("<style>"));
    assertEquals(count(w.html(), "<table>"), count(w.html(), "</table>"));
    assertEquals(count(w.html(), "<pre>"), count(w.html(), "</pre>"));
  }

  @Test
  void summarizesTheTraceAndRendersEveryCellWithLongTablesCut() throws Exception {
    Written w = report(true);
    String md = w.md();
    assertTrue(md.startsWith("# Postmortem: payments time out for one tenant\n"), md);
    assertTrue(md.contains("2 captures from 2025-03-01 10:00:00 to 2025-03-01 11:05:00"), md);
    assertTrue(md.contains("120 events stored, 6 dropped in the kernel"), md);
    assertTrue(md.contains("syscalls:sys_exit_sendto, tcp:tcp_retransmit_skb"), md);
    assertTrue(md.contains("#### Cell writes (sql, line"), md);
    assertTrue(
        md.contains((ReportTables.EVENTS - ReportBuilder.MAX_ROWS) + " more rows not shown."), md);
    assertTrue(md.contains("Failed (sql): "), md);
    assertTrue(md.contains("No bisect cell produced a result."), md);
    assertTrue(w.html().contains("more rows not shown."));
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }
}
