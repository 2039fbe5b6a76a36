package dev.tracefix.server.http;

import dev.tracefix.server.bisect.BisectCellRunner;
import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.patch.PatchCellRunner;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace views in real headless Chromium, driven by Playwright ({@code
 * web/browser-tests/views.test.mjs}, run with node's test runner) against a real server on
 * loopback: a store of a million generated events with stacks for charts, the timeline and the
 * flame graph (and a JVM recording's rows of one of its processes, {@link JvmTraceRows}), and the
 * sample service's real git history for the fix loop and the patch review. The script's assertions
 * decide ({@link BrowserScript}).
 */
class ViewsBrowserTest {
  private static final int EVENTS = 1_000_000;

  /** An upper bound for the whole browser run, not a measurement. */
  private static final long PATIENCE_MINUTES = 15;

  @TempDir Path tempDir;

  @Test
  void theTraceViewsAndTheFixLoopWorkInARealBrowser() throws Exception {
    Path web = BrowserScript.webDirOrSkip("views.test.mjs");
    Path repo = GitFixtures.timeoutServiceRepo(tempDir.resolve("timeout-service"));
    Files.createDirectories(tempDir.resolve("queries")); // the saved-queries panel lists none
    try (WorkbenchFixture workbench =
        new WorkbenchFixture(
            tempDir,
            JvmTraceRows.withBulk(EVENTS),
            Map.of("bisect", new BisectCellRunner(), "patch", new PatchCellRunner()))) {
      for (String name : List.of("trace.md", "charts.md")) {
        try (InputStream in = ViewsBrowserTest.class.getResourceAsStream("/views/" + name)) {
          Files.copy(in, workbench.notebooksDir.resolve(name));
        }
      }
      Files.writeString(
          workbench.notebooksDir.resolve("fix.md"),
          "# Fix the checkout timeout\n\n```bisect name=culprit\nrepo: "
              + repo
              + "\ngood: v1.0\n"
              + "bad: HEAD\nrun: ./repro.sh\ntimeout: 60s\n```\n\n```patch name=fix\nrepo: "
              + repo
              + "\nculprit: culprit\nrun: ./repro.sh\ntest: ./check.sh\n```\n");
      BrowserScript.run(
          web,
          web.resolve("browser-tests/views.test.mjs"),
          workbench.base(),
          Map.of(
              "TRACEFIX_NOTEBOOKS",
              workbench.notebooksDir.toString(),
              "TRACEFIX_EVENTS",
              Integer.toString(EVENTS),
              "TRACEFIX_JVM_EVENTS",
              Long.toString(JvmTraceRows.DRAWN)),
          PATIENCE_MINUTES);
    }
  }
}
