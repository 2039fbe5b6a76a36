package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tracefix.capture.Capture;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
    Path web = BrowserScript.webDirOrSkip("capture.test.mjs");
    try (LiveCaptureFixture live = new LiveCaptureFixture(tempDir)) {
      BrowserScript.run(
          web,
          web.resolve("browser-tests/capture.test.mjs"),
          live.base(),
          Map.of("TRACEFIX_PID", Long.toString(live.child.pid())),
          PATIENCE_MINUTES);
    }
  }
}
