package dev.tracefix.server.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.server.notebook.NotebookParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportBuilderTest {
  private static final String NOTEBOOK =
      """
      # Fix loop

      Replay the requests.

      ```minimize name=minimal
      input: requests
      repo: demo-work/timeout-service
      run: ./repro.sh
      ```

      ```bisect name=culprit
      repo: demo-work/timeout-service
      good: v1.0
      bad: HEAD
      run: ./repro.sh
      ```

      ```patch name=fix
      repo: demo-work/timeout-service
      culprit: culprit
      run: ./repro.sh
      ```
      """;

  @TempDir Path dir;

  private PostmortemReport report(Map<String, CellOutput> outputs) {
    Notebook notebook = NotebookParser.parse("fix.md", NOTEBOOK);
    HmacKey key = KeyStore.current(dir.resolve("keys"));
    return ReportBuilder.build(notebook, outputs, List.of(), key);
  }

  @Test
  void theFixLoopSectionShowsTheReproTheCulpritAndThePatchInFull() {
    String scaffold = "class MinimalReproTest {\n  // rows: 4096, 8192\n}\n";
    String diff =
        "--- a/Inventory.java\n+++ b/Inventory.java\n@@ -1 +1 @@\n"
            + "-int timeoutMs = 50; // ops: bob@example.org\n+int timeoutMs = 500;\n";
    PostmortemReport report =
        report(
            Map.of(
                "minimal",
                new CellOutput.Minimized(
                    List.of("time", "bytes"),
                    List.of(List.of("t1", 4096), List.of("t2", 8192)),
                    40,
                    17,
                    scaffold,
                    "tracefix/MinimalReproTest.java",
                    List.of("row 1 bytes: 6144 -> 4097 (14 tries)"),
                    0),
                "culprit",
                new CellOutput.Bisected(
                    "3f2a9c1",
                    "inventory: shorter reservation timeout",
                    List.of(
                        new CellOutput.BisectStep("aa11bb2", "good", 0, "probe", "good"),
                        new CellOutput.BisectStep("3f2a9c1", "bad", 1, "probe", "bad")),
                    2,
                    List.of()),
                "fix",
                new CellOutput.Patched(
                    "revert-implicated-hunks",
                    "tracefix/fix-3f2a9c1",
                    diff,
                    true,
                    true,
                    "repro: exit 0\nchecks: password=Tr0ub4dor&3 ok\n",
                    List.of(
                        new CellOutput.PatchCandidate(
                            "revert-implicated-hunks",
                            "revert the hunk of 3f2a9c1",
                            "tracefix/fix-3f2a9c1",
                            true,
                            List.of(new CellOutput.Guardrail("repro", "pass", "")))),
                    null,
                    null)));
    String md = report.render(ReportFormat.MARKDOWN);
    String fixLoop = md.substring(md.indexOf("## Fix loop"), md.indexOf("## Privacy attestation"));
    assertTrue(fixLoop.contains("2 of 40 input rows still make the repro fail"), fixLoop);
    assertTrue(fixLoop.contains("| t2 | 8192 |"), fixLoop);
    assertTrue(fixLoop.contains("```java\n" + scaffold + "```"), fixLoop);
    assertTrue(fixLoop.contains("first bad commit 3f2a9c1"), fixLoop);
    assertTrue(fixLoop.contains("| 3f2a9c1 | bad | 1 | probe | culprit |"), fixLoop);
    assertTrue(fixLoop.contains("the repro passes with the patch applied"), fixLoop);
    assertTrue(fixLoop.contains("Value shrunk: row 1 bytes: 6144"), fixLoop);
    assertTrue(fixLoop.contains("+int timeoutMs = 500;"), fixLoop);
    assertFalse(md.contains("bob@example.org"), "the diff is redacted");
    assertFalse(md.contains("Tr0ub4dor"), "the check log is redacted");
    assertEquals(1L, report.replacements().get("EMAIL"));
    assertTrue(md.contains("Minimized 40 rows to 2; see Fix loop, Minimized repro."), md);
  }

  @Test
  void withoutCapturesTheReportSaysThereIsNothingToAttestAndClaimsNoPayloadAbsence() {
    String md = report(Map.of()).render(ReportFormat.MARKDOWN);
    assertTrue(md.contains("The store holds no captures."), md);
    assertTrue(md.contains("nothing to attest"), md);
    assertFalse(md.contains(PrivacySection.NO_PAYLOADS), md);
    assertTrue(md.contains("Not run."), md);
  }

  @Test
  void codeFencesGrowPastBackticksInTheirText() {
    ReportPart.Code code = new ReportPart.Code("text", "a\n```\nb");
    PostmortemReport report = new PostmortemReport("t", List.of(code), Map.of());
    assertEquals("````text\na\n```\nb\n````\n", report.render(ReportFormat.MARKDOWN));
  }
}
