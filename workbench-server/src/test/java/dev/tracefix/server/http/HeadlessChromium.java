package dev.tracefix.server.http;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Starts the machine's Chromium headless through its ChromeDriver; nothing is downloaded. */
final class HeadlessChromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /** Skips the test off-CI when Chromium is not installed; in CI a missing browser fails it. */
  static void assumeInstalled() {
    boolean ci = "true".equals(System.getenv("CI"));
    Assumptions.assumeTrue(
        ci || (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)),
        "needs Chromium at /usr/bin/chromium and ChromeDriver at /usr/bin/chromedriver"
            + " (Debian packages chromium, chromium-driver)");
  }

  static ChromeDriver start(Path profileDir) throws java.io.IOException {
    // Point Selenium at the installed driver and browser so Selenium Manager never downloads.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,1400",
        "--user-data-dir=" + Files.createDirectories(profileDir));
    return new ChromeDriver(options);
  }
}
