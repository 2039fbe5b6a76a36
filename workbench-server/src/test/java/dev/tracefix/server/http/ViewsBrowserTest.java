package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.server.bisect.BisectCellRunner;
import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.patch.PatchCellRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace views in real headless Chromium, driven by Playwright ({@code
 * web/browser-tests/views.test.mjs}, run with node's test runner) against a real server on
 * loopback: a store of a million generated events with stacks for charts, the timeline and the
 * flame graph (and a JVM recording's rows of one of its processes, {@link JvmTraceRows}), and the
 * sample service's real git history for the fix loop and the patch review. The script's assertions
 * decide; its report is in the failure message.
 *
 * <p>With {@code -Dtracefix.screenshots=DIR} the script writes a PNG of every view it visits.
 */
class ViewsBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final int EVENTS = 1_000_000;

  /** An upper bound for the whole browser run, not a measurement. */
  private static final long PATIENCE_MINUTES = 15;

  @TempDir Path tempDir;

  @Test
  void theTraceViewsAndTheFixLoopWorkInARealBrowser() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    Assumptions.assumeTrue(
        ci || Files.isExecutable(CHROMIUM),
        "needs Chromium at /usr/bin/chromium (Debian package chromium)");
    Path web = webDir();
    Assumptions.assumeTrue(
        ci || Files.isDirectory(web.resolve("node_modules/playwright-core")),
        "needs web/node_modules (the web module's build runs npm ci)");
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
      ProcessBuilder pb =
          new ProcessBuilder(
                  "node", "--test", "--test-reporter=spec", "browser-tests/views.test.mjs")
              .directory(web.toFile())
              .redirectErrorStream(true);
      pb.environment().put("TRACEFIX_URL", workbench.base() + "/");
      pb.environment().put("TRACEFIX_TOKEN", WorkbenchFixture.TOKEN);
      pb.environment().put("TRACEFIX_NOTEBOOKS", workbench.notebooksDir.toString());
      pb.environment().put("TRACEFIX_CHROMIUM", CHROMIUM.toString());
      pb.environment().put("TRACEFIX_EVENTS", Integer.toString(EVENTS));
      pb.environment().put("TRACEFIX_JVM_EVENTS", Long.toString(JvmTraceRows.DRAWN));
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
      if (Files.isRegularFile(p.resolve("web/browser-tests/views.test.mjs"))) {
        return p.resolve("web");
      }
    }
    throw new IOException("cannot find web/browser-tests above " + Path.of("").toAbsolutePath());
  }
}
