package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Drives the workbench page in real headless Chromium against a real server. */
class NotebookPageTest {
  /** An upper bound for the page to react, not a measurement: waits end as soon as it does. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path tempDir;
  private WorkbenchFixture workbench;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    workbench = new WorkbenchFixture(tempDir);
    browser = HeadlessChromium.start(tempDir.resolve("chromium-profile"));
    wait = new WebDriverWait(browser, PATIENCE);
    // The page re-renders a cell's output when a page or sort arrives: a wait that read the old
    // element looks again instead of failing.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (workbench != null) {
      workbench.close();
    }
  }

  private WebElement openCell(String notebook, String cellId) {
    browser.get(workbench.server.url() + "#/notebook/" + notebook);
    By cell = By.cssSelector("[data-testid=cell][data-cell-id='" + cellId + "']");
    return wait.until(ExpectedConditions.presenceOfElementLocated(cell));
  }

  private List<List<String>> rowsOf(WebElement table) {
    return table.findElements(By.cssSelector("tbody tr")).stream()
        .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
        .toList();
  }

  private WebElement outputTableOf(WebElement cell) {
    return wait.until(
        d -> {
          List<WebElement> tables = cell.findElements(By.cssSelector("[data-testid=output-table]"));
          return tables.isEmpty() ? null : tables.getFirst();
        });
  }

  @Test
  void runningASqlCellShowsItsRowsInTheOutputTable() throws Exception {
    WebElement cell = openCell("retransmits.md", "by_peer");
    assertEquals("sql", cell.findElement(By.cssSelector("[data-testid=cell-kind]")).getText().toLowerCase());
    assertTrue(
        browser.findElement(By.cssSelector("[data-testid=prose] h1")).getText().contains("Retransmit storm"));

    cell.findElement(By.cssSelector("[data-testid=run-cell]")).click();

    WebElement table = outputTableOf(cell);
    assertEquals(
        List.of(List.of("peer-7f3a", "3"), List.of("peer-b2e4", "2"), List.of("peer-19c0", "1")),
        rowsOf(table));
    assertEquals("3 rows", cell.findElement(By.cssSelector("[data-testid=row-count]")).getText());

    browser.findElement(By.cssSelector("[data-testid=run-all]")).click();
    WebElement top =
        browser.findElement(By.cssSelector("[data-testid=cell][data-cell-id='top_peer']"));
    assertEquals(List.of(List.of("peer-7f3a")), rowsOf(outputTableOf(top)));
    screenshot("notebook-page.png");
  }

  @Test
  void editingACellAndPressingShiftEnterSavesAndRunsIt() throws Exception {
    WebElement cell = openCell("retransmits.md", "top_peer");
    WebElement source = cell.findElement(By.cssSelector("[data-testid=cell-source]"));
    source.clear();
    source.sendKeys("select count(*) as n from retransmits");
    source.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));

    assertEquals(List.of(List.of("6")), rowsOf(outputTableOf(cell)));
    assertTrue(
        workbench.notebookText("retransmits.md").contains("select count(*) as n from retransmits"));
  }

  @Test
  void savingAnEditedCellWithCtrlEnterMarksTheCellsThatUseItStale() throws Exception {
    WebElement byPeer = openCell("retransmits.md", "by_peer");
    browser.findElement(By.cssSelector("[data-testid=run-all]")).click();
    WebElement top =
        browser.findElement(By.cssSelector("[data-testid=cell][data-cell-id='top_peer']"));
    outputTableOf(top);
    assertEquals(null, top.getDomAttribute("data-stale"));

    WebElement source = byPeer.findElement(By.cssSelector("[data-testid=cell-source]"));
    source.sendKeys(Keys.chord(Keys.CONTROL, Keys.END), "\nlimit 2", Keys.chord(Keys.CONTROL, Keys.ENTER));

    wait.until(d -> top.getDomAttribute("data-stale") != null);
    assertTrue(top.findElement(By.cssSelector("[data-testid=stale]")).isDisplayed());
    assertTrue(workbench.notebookText("retransmits.md").contains("order by retx desc, peer\nlimit 2\n```"));
  }

  @Test
  void aFailingCellShowsItsErrorInTheCell() throws Exception {
    WebElement cell = openCell("failing-cell.md", "typo");
    cell.findElement(By.cssSelector("[data-testid=run-cell]")).click();
    WebElement error =
        wait.until(d -> cell.findElements(By.cssSelector("[data-testid=output-error]")).stream().findFirst().orElse(null));
    assertTrue(error.getText().toLowerCase().contains("syntax"), error.getText());
  }

  @Test
  void aMalformedNotebookShowsTheFileAndLineInsteadOfAPage() throws Exception {
    browser.get(workbench.server.url() + "#/notebook/broken.md");
    WebElement error =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=open-error]")));
    assertTrue(error.getText().contains("broken.md:3"), error.getText());
  }

  @Test
  void aResultLargerThanItsFirstPagePagesAndSortsOnTheServer() throws Exception {
    Files.writeString(
        workbench.notebooksDir.resolve("big.md"),
        "# Big\n\n```sql id=thousand\nSELECT range AS i FROM range(1000)\n```\n");
    WebElement cell = openCell("big.md", "thousand");
    cell.findElement(By.cssSelector("[data-testid=run-cell]")).click();
    WebElement count =
        wait.until(d -> cell.findElements(By.cssSelector("[data-testid=row-count]")).stream().findFirst().orElse(null));
    assertTrue(count.getText().startsWith("1,000 rows (showing 1–200)"), count.getText());

    cell.findElement(By.cssSelector("[data-testid=page-next]")).click();
    wait.until(d -> cell.findElement(By.cssSelector("[data-testid=row-count]")).getText().contains("201–300"));
    assertEquals("200", rowsOf(outputTableOf(cell)).getFirst().getFirst());

    cell.findElement(By.cssSelector("[data-testid=sort-column]")).click(); // i, ascending
    wait.until(d -> cell.findElement(By.cssSelector("[data-testid=row-count]")).getText().contains("sorted by i)"));
    cell.findElement(By.cssSelector("[data-testid=sort-column]")).click(); // i, descending
    wait.until(d -> cell.findElement(By.cssSelector("[data-testid=row-count]")).getText().contains("descending"));
    assertEquals("999", rowsOf(outputTableOf(cell)).getFirst().getFirst());
    screenshot("paged-table.png");
  }

  @Test
  void theStopButtonStopsARunawayCell() throws Exception {
    Files.writeString(
        workbench.notebooksDir.resolve("spin.md"), "# Spin\n\n```java id=spin\nwhile (true) { }\n```\n");
    WebElement cell = openCell("spin.md", "spin");
    cell.findElement(By.cssSelector("[data-testid=run-cell]")).click();
    WebElement stop = cell.findElement(By.cssSelector("[data-testid=stop-cell]"));
    wait.until(d -> stop.isDisplayed());
    Thread.sleep(3000); // the snippet VM starts, the loop runs; nothing depends on how long
    stop.click();
    WebElement error =
        wait.until(d -> cell.findElements(By.cssSelector("[data-testid=output-error]")).stream().findFirst().orElse(null));
    // Stopped by JShell, or (when that does not take within its bound, as on a loaded machine) by
    // killing the snippet VM: either way the runaway cell ended and says how.
    assertTrue(
        error.getText().contains("cell interrupted") || error.getText().contains("kernel restarted"),
        error.getText());
    wait.until(d -> !stop.isDisplayed());
  }

  /** Kept under target/ so a person can look at what the page showed. */
  private void screenshot(String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Path png = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
