package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tracefix.capture.Capture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live capture panel in real headless Chromium, driven by Playwright ({@code
 * web/browser-tests/capture.test.mjs}) against a real server on loopback that captures a child
 * process with the real kernel: start from the form, a rate appears, stop, and the inserted SQL
 * cell counts exactly the events the capture stored. The script's assertions decide.
 */
class LiveCaptureBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** An upper bound for the whole browser run, not a measurement. */
  private static final long PATIENCE_MINUTES = 5;

  @TempDir Path tempDir;

  @Test
  void aCaptureStartedFromThePanelIsStoppedAndQueried() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    Optional<String> reason = Capture.unavailableReason();
    if (reason.isPresent() && ci) {
      fail("CI=true requires eBPF capture, but: " + reason.get());
    }
    Assumptions.assumeTrue(reason.isEmpty(), () -> "eBPF capture unavailable: " + reason.get());
    Assumptions.assumeTrue(
        ci || Files.isExecutable(CHROMIUM),
        "needs Chromium at /usr/bin/chromium (Debian package chromium)");
    Path web = webDir();
    Assumptions.assumeTrue(
        ci || Files.isDirectory(web.resolve("node_modules/playwright-core")),
        "needs web/node_modules (the web module's build runs npm ci)");
    try (LiveCaptureFixture live = new LiveCaptureFixture(tempDir)) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "node", "--test", "--test-reporter=spec", "browser-tests/capture.test.mjs")
              .directory(web.toFile())
              .redirectErrorStream(true);
      pb.environment().put("TRACEFIX_URL", live.base() + "/");
      pb.environment().put("TRACEFIX_TOKEN", WorkbenchFixture.TOKEN);
      pb.environment().put("TRACEFIX_PID", Long.toString(live.child.pid()));
      pb.environment().put("TRACEFIX_CHROMIUM", CHROMIUM.toString());
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
      assertEquals(0, ended ? node.exitValue() : -1, "browser scenario failed:\n" + report);
    }
  }

  private static Path webDir() throws IOException {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("web/browser-tests/capture.test.mjs"))) {
        return p.resolve("web");
      }
    }
    throw new IOException("cannot find web/browser-tests above " + Path.of("").toAbsolutePath());
  }
}
