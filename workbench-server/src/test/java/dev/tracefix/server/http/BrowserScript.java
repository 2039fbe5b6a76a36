package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Playwright script of {@code web/browser-tests}, run with node's test runner against a server
 * the calling test started, in real headless Chromium. The script's own assertions decide: a
 * failing scenario fails the calling test, with the runner's report in the message.
 *
 * <p>With {@code -Dtracefix.screenshots=DIR} the scripts also write a PNG of every view they visit
 * there ({@code ./tracefix screenshots DIR}).
 */
final class BrowserScript {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private BrowserScript() {}

  /**
   * The {@code web} directory holding {@code browser-tests/<script>}; the test is skipped off CI
   * when Chromium or the web module's node packages are missing (CI must have both).
   */
  static Path webDirOrSkip(String script) throws IOException {
    boolean ci = "true".equals(System.getenv("CI"));
    Assumptions.assumeTrue(
        ci || Files.isExecutable(CHROMIUM),
        "needs Chromium at /usr/bin/chromium (Debian package chromium)");
    Path web = webDir(script);
    Assumptions.assumeTrue(
        ci || Files.isDirectory(web.resolve("node_modules/playwright-core")),
        "needs web/node_modules (the web module's build runs npm ci)");
    return web;
  }

  /**
   * Runs {@code script} (a path under {@code web}) with the server's address and token and {@code
   * env} in its environment, and fails unless every scenario passed within {@code patienceMinutes}
   * (an upper bound for the whole run, not a measurement). {@code -Dtracefix.browser.only=REGEX}
   * runs the scenarios whose names match, while working on one.
   */
  static void run(Path web, Path script, String base, Map<String, String> env, long patienceMinutes)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
    String only = System.getProperty("tracefix.browser.only");
    if (only != null && !only.isBlank()) {
      command.add("--test-name-pattern=" + only);
    }
    command.add(script.toString());
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(web.toFile()).redirectErrorStream(true);
    pb.environment().put("TRACEFIX_URL", base + "/");
    pb.environment().put("TRACEFIX_TOKEN", WorkbenchFixture.TOKEN);
    pb.environment().put("TRACEFIX_CHROMIUM", CHROMIUM.toString());
    pb.environment().putAll(env);
    String screenshots = System.getProperty("tracefix.screenshots");
    if (screenshots != null && !screenshots.isBlank()) {
      pb.environment()
          .put("TRACEFIX_SCREENSHOTS", Path.of(screenshots).toAbsolutePath().toString());
    }
    Process node = pb.start();
    byte[] out = node.getInputStream().readAllBytes();
    boolean ended = node.waitFor(patienceMinutes, TimeUnit.MINUTES);
    if (!ended) {
      node.destroyForcibly();
    }
    String report = new String(out, StandardCharsets.UTF_8);
    System.out.println(report);
    assertEquals(0, ended ? node.exitValue() : -1, "browser scenarios failed:\n" + report);
  }

  private static Path webDir(String script) throws IOException {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("web/browser-tests").resolve(script))) {
        return p.resolve("web");
      }
    }
    throw new IOException("cannot find web/browser-tests above " + Path.of("").toAbsolutePath());
  }
}
