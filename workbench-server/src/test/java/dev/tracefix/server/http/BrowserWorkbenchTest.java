package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser workbench in real headless Chromium, driven by Playwright ({@code
 * web/browser-tests/workbench.test.mjs}, run with node's test runner) against a real server on
 * loopback over a real DuckDB store and a git-backed notebook folder. The script's own assertions
 * decide: any failing scenario fails this test, with the runner's report in the message.
 *
 * <p>With {@code -Dtracefix.screenshots=DIR} the script also writes a PNG of every view it visits
 * there ({@code ./tracefix screenshots DIR}).
 */
class BrowserWorkbenchTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** An upper bound for the whole browser run, not a measurement. */
  private static final long PATIENCE_MINUTES = 10;

  @TempDir Path tempDir;

  @Test
  void theWorkbenchWorksInARealBrowser() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    Assumptions.assumeTrue(
        ci || Files.isExecutable(CHROMIUM),
        "needs Chromium at /usr/bin/chromium (Debian package chromium)");
    Path web = webDir();
    // -Dtracefix.browser.script=FILE runs another script against the same server (the benchmark).
    String other = System.getProperty("tracefix.browser.script");
    Path script =
        other == null || other.isBlank()
            ? web.resolve("browser-tests/workbench.test.mjs")
            : web.getParent().resolve(other).toAbsolutePath();
    Assumptions.assumeTrue(
        ci || Files.isDirectory(web.resolve("node_modules/playwright-core")),
        "needs web/node_modules (the web module's build runs npm ci)");

    try (WorkbenchFixture workbench = new WorkbenchFixture(tempDir)) {
      BrowserFixtures.write(workbench.notebooksDir, tempDir.resolve("queries"));
      List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
      // -Dtracefix.browser.only=REGEX runs the scenarios whose names match, while working on one.
      String only = System.getProperty("tracefix.browser.only");
      if (only != null && !only.isBlank()) {
        command.add("--test-name-pattern=" + only);
      }
      command.add(script.toString());
      ProcessBuilder pb =
          new ProcessBuilder(command).directory(web.toFile()).redirectErrorStream(true);
      pb.environment().put("TRACEFIX_URL", workbench.base() + "/");
      pb.environment().put("TRACEFIX_TOKEN", WorkbenchFixture.TOKEN);
      pb.environment().put("TRACEFIX_NOTEBOOKS", workbench.notebooksDir.toString());
      pb.environment().put("TRACEFIX_CHROMIUM", CHROMIUM.toString());
      String rounds = System.getProperty("tracefix.bench.rounds");
      if (rounds != null) {
        pb.environment().put("TRACEFIX_BENCH_ROUNDS", rounds);
      }
      String screenshots = System.getProperty("tracefix.screenshots");
      if (screenshots != null && !screenshots.isBlank()) {
        pb.environment()
            .put("TRACEFIX_SCREENSHOTS", Path.of(screenshots).toAbsolutePath().toString());
      }
      Process node = pb.start();
      byte[] out = node.getInputStream().readAllBytes();
      boolean ended = node.waitFor(PATIENCE_MINUTES, TimeUnit.MINUTES);
      if (!ended) {
        node.destroyForcibly();
      }
      String report = new String(out, StandardCharsets.UTF_8);
      System.out.println(report);
      assertEquals(0, ended ? node.exitValue() : -1, "browser scenarios failed:\n" + report);
    }
  }

  private static Path webDir() throws IOException {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("web/browser-tests/workbench.test.mjs"))) {
        return p.resolve("web");
      }
    }
    throw new IOException("cannot find web/browser-tests above " + Path.of("").toAbsolutePath());
  }
}
