package dev.tracefix.server.http;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser workbench in real headless Chromium, driven by Playwright ({@code
 * web/browser-tests/workbench.test.mjs}, run with node's test runner) against a real server on
 * loopback over a real DuckDB store and a git-backed notebook folder. The script's own assertions
 * decide ({@link BrowserScript}).
 */
class BrowserWorkbenchTest {
  /** An upper bound for the whole browser run, not a measurement. */
  private static final long PATIENCE_MINUTES = 10;

  @TempDir Path tempDir;

  @Test
  void theWorkbenchWorksInARealBrowser() throws Exception {
    Path web = BrowserScript.webDirOrSkip("workbench.test.mjs");
    // -Dtracefix.browser.script=FILE runs another script against the same server (the benchmark).
    String other = System.getProperty("tracefix.browser.script");
    Path script =
        other == null || other.isBlank()
            ? web.resolve("browser-tests/workbench.test.mjs")
            : web.getParent().resolve(other).toAbsolutePath();
    try (WorkbenchFixture workbench = new WorkbenchFixture(tempDir)) {
      BrowserFixtures.write(workbench.notebooksDir, tempDir.resolve("queries"));
      Map<String, String> env = new HashMap<>();
      env.put("TRACEFIX_NOTEBOOKS", workbench.notebooksDir.toString());
      String rounds = System.getProperty("tracefix.bench.rounds");
      if (rounds != null) {
        env.put("TRACEFIX_BENCH_ROUNDS", rounds);
      }
      BrowserScript.run(web, script, workbench.base(), env, PATIENCE_MINUTES);
    }
  }
}
