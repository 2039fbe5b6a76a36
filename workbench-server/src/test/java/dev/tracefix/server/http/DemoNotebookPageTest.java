package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo notebook as a person sees it: the repository's own {@code postmortem-timeout.md} over
 * the recorded capture, opened in headless Chromium, with a SQL cell run from the page.
 */
class DemoNotebookPageTest {

  @Test
  void theDemoNotebookRunsASqlCellAndShowsBothServices(@TempDir Path temp) throws Exception {
    HeadlessChromium.assumeInstalled();
    Path project = projectRoot();
    Path db = temp.resolve("demo.duckdb");
    try (EventStore store = EventStore.open(db)) {
      long imported = store.importParquet(project.resolve("examples/recorded-capture"));
      assertTrue(imported > 0, "the recorded capture is empty");
    }
    try (FileNotebookWorkspace workspace =
            new FileNotebookWorkspace(
                project.resolve("notebooks"), NotebookDatabases.unlocked(db), project, Map.of());
        WorkbenchServer server = WorkbenchServer.start(workspace, 0, null)) {
      ChromeDriver browser = HeadlessChromium.start(temp.resolve("profile"));
      try {
        browser.get(server.url() + "#/notebook/postmortem-timeout.md");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement cell =
            wait.until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("[data-testid=cell][data-cell-id='by_process']")));
        cell.findElement(By.cssSelector("[data-testid=run-cell]")).click();
        WebElement table =
            wait.until(
                d -> {
                  List<WebElement> t =
                      cell.findElements(By.cssSelector("[data-testid=output-table]"));
                  return t.isEmpty() ? null : t.getFirst();
                });
        // The grid draws its rows once it is in the page and knows its size.
        wait.until(d -> !table.findElements(By.cssSelector("[data-testid=grid-row]")).isEmpty());
        List<String> processes =
            table.findElements(By.cssSelector("[data-testid=grid-row]")).stream()
                .map(
                    row ->
                        row.findElements(By.cssSelector("[data-testid=grid-cell]"))
                            .getFirst()
                            .getText())
                .sorted()
                .toList();
        assertTrue(processes.containsAll(List.of("checkout", "inventory")), processes.toString());
        assertEquals(
            "sql",
            cell.findElement(By.cssSelector("[data-testid=cell-kind]")).getText().toLowerCase());
      } finally {
        browser.quit();
      }
    }
  }

  private static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("notebooks")) && Files.isDirectory(p.resolve("examples"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the project root above " + Path.of("").toAbsolutePath());
  }
}
