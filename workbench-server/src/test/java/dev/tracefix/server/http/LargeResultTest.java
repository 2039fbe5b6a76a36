package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results far larger than the server's heap should ever hold, against a real server on loopback: a
 * 10 M-row SQL result pages (first page in the output, any later page and sorted pages over the
 * API); an endless query stops at max_rows with an error naming it; a Java cell's {@code sql()} of
 * 15 M rows gets a table cut at max_rows and reads rows from its far end. While each runs the
 * notebook list and the notebook answer; the server's heap is measured in-process.
 */
class LargeResultTest {
  private static final String BIG =
      """
      # Big results

      ```sql id=ten_million
      SELECT range AS i, 'row ' || range AS label FROM range(10000000)
      ```

      ```sql id=endless
      SELECT * FROM range(1000000000000000)
      ```

      ```java id=java_sql
      var t = sql("SELECT range AS i FROM range(15000000)");
      long sum = 0;
      for (int k = 0; k < 5000; k++) { sum += ((Number) t.get(k).get("i")).longValue(); }
      t.size() + " rows, truncated=" + t.truncated() + ", last i=" + t.get(t.size() - 1).get("i") + ", sum of first 5000=" + sum
      ```

      ```java id=java_show max_rows=4000
      show(sql("SELECT range AS i FROM range(5000)"))
      ```

      ```java id=java_sql_all max_rows=15000000 timeout=10m
      var all = sql("SELECT range AS i FROM range(15000000)");
      long n = 0;
      for (var row : all) { n++; }
      n + " of " + all.size() + ", truncated=" + all.truncated()
      ```
      """;

  @TempDir Path dir;
  private WorkbenchFixture fixture;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
    fixture = new WorkbenchFixture(dir);
    Files.writeString(fixture.notebooksDir.resolve("big.md"), BIG);
    api = new ApiClient(fixture);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  /** Runs a cell while reading the notebook list and the notebook; prints what it took. */
  private JsonNode runWatched(String cell, HeapSampler heap) throws Exception {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> run =
        api.postAsync("/api/notebooks/big.md/cells/" + cell + "/run", Duration.ofMinutes(12));
    long slowestRead = 0;
    int reads = 0;
    while (!run.isDone()) {
      slowestRead = Math.max(slowestRead, api.timedGet("/api/notebooks"));
      slowestRead = Math.max(slowestRead, api.timedGet("/api/notebooks/big.md"));
      reads++;
      Thread.sleep(100);
    }
    JsonNode output = ApiClient.json(run.get(1, TimeUnit.SECONDS));
    System.out.printf(
        "LARGE %-14s ran %6d ms | %d rounds of reads during it, slowest %d ms | server heap peak %d"
            + " MB (baseline %d MB, max %d MB)%n",
        cell,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        reads,
        slowestRead,
        heap.peakMb(),
        heap.baselineMb(),
        HeapSampler.maxMb());
    return output;
  }

  private void assertBounded(HeapSampler heap, String what) throws InterruptedException {
    heap.close();
    System.out.printf(
        "LARGE %-14s server heap: peak %+d MB over baseline, %+d MB retained after%n",
        what, heap.growthMb(), heap.retainedMb());
    assertTrue(
        heap.growthMb() < RunawayCellTest.PEAK_BOUND_MB,
        what + ": the server's heap grew " + heap.growthMb() + " MB");
    assertTrue(
        heap.retainedMb() < RunawayCellTest.RETAINED_BOUND_MB,
        what + ": the server kept " + heap.retainedMb() + " MB");
  }

  @Test
  void aTenMillionRowResultPagesWithoutLoadingItIntoTheServer() throws Exception {
    HeapSampler heap = new HeapSampler();
    JsonNode first = runWatched("ten_million", heap);
    assertEquals("table", first.path("kind").asText(), first.toString());
    assertEquals(10_000_000L, first.path("totalRows").asLong());
    assertEquals(200, first.path("rows").size(), "the output carries the first page only");

    long start = System.nanoTime();
    JsonNode deep =
        ApiClient.json(
            api.get("/api/notebooks/big.md/cells/ten_million/rows?offset=9999990&limit=20"));
    long deepMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(10, deep.path("rows").size(), "the last ten rows");
    assertEquals(9_999_990L, deep.path("rows").path(0).path(0).asLong());
    assertEquals(10_000_000L, deep.path("totalRows").asLong());

    start = System.nanoTime();
    JsonNode sorted =
        ApiClient.json(
            api.get(
                "/api/notebooks/big.md/cells/ten_million/rows?offset=0&limit=1000&sort=i&desc=true"));
    long sortedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(9_999_999L, sorted.path("rows").path(0).path(0).asLong());
    assertEquals(1000, sorted.path("rows").size());

    start = System.nanoTime();
    JsonNode byLabel =
        ApiClient.json(
            api.get(
                "/api/notebooks/big.md/cells/ten_million/rows?offset=5000000&limit=3&sort=label"));
    long labelMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(3, byLabel.path("rows").size());
    System.out.printf(
        "LARGE page at offset 9999990: %d ms; first page sorted by i desc: %d ms; page at offset"
            + " 5000000 sorted by label: %d ms%n",
        deepMs, sortedMs, labelMs);
    assertBounded(heap, "10M paged");
  }

  @Test
  void pagingRefusesBadRequestsAndUnknownColumns() {
    api.run("big.md", "endless"); // no kept result: an error
    assertEquals(404, api.get("/api/notebooks/big.md/cells/endless/rows").statusCode());
    assertEquals(
        404, api.get("/api/notebooks/big.md/cells/ten_million/rows").statusCode(), "not run yet");
    assertEquals(
        400, api.get("/api/notebooks/big.md/cells/endless/rows?limit=100000").statusCode());
    assertEquals(400, api.get("/api/notebooks/big.md/cells/endless/rows?offset=-1").statusCode());
    assertEquals(400, api.get("/api/notebooks/big.md/cells/endless/rows?desc=maybe").statusCode());
    assertEquals(404, api.get("/api/notebooks/big.md/cells/nope/rows").statusCode());
    api.run("retransmits.md", "by_peer");
    HttpResponse<String> unknown =
        api.get("/api/notebooks/retransmits.md/cells/by_peer/rows?sort=nope");
    assertEquals(400, unknown.statusCode(), unknown.body());
    assertTrue(
        unknown.body().contains("no column 'nope' in the result; its columns: peer, retx"),
        unknown.body());
    assertEquals(
        "peer-19c0",
        ApiClient.json(
                api.get("/api/notebooks/retransmits.md/cells/by_peer/rows?sort=retx&limit=1"))
            .path("rows")
            .path(0)
            .path(0)
            .asText());
  }

  @Test
  void anUnboundedQueryStopsAtMaxRowsWithAnErrorNamingIt() throws Exception {
    HeapSampler heap = new HeapSampler();
    JsonNode error = runWatched("endless", heap);
    assertEquals("error", error.path("kind").asText(), error.toString());
    assertEquals("limit", error.path("errorKind").asText(), error.toString());
    String message = error.path("message").asText();
    assertTrue(message.contains("more than 10000000 rows (max_rows=10000000)"), message);
    assertTrue(message.contains("```sql max_rows=20000000```"), message);
    assertTrue(message.contains("max_rows: 20000000"), message);
    assertBounded(heap, "unbounded SQL");
  }

  @Test
  void aJavaCellsSqlOfFifteenMillionRowsIsATableCutAtMaxRows() throws Exception {
    HeapSampler heap = new HeapSampler();
    JsonNode output = runWatched("java_sql", heap);
    assertEquals("text", output.path("kind").asText(), output.toString());
    String text = output.path("text").asText();
    assertTrue(
        text.contains("10000000 rows, truncated=true, last i=9999999, sum of first 5000=12497500"),
        text);
    assertTrue(text.contains("sql(...) truncated at 10000000 rows"), text);
    assertTrue(text.contains("(max_rows=10000000)"), text);
    assertBounded(heap, "java sql() 15M");
  }

  @Test
  void aJavaCellShowsASqlTableAsItsOutputAndThePagePagesIt() {
    JsonNode shown = api.run("big.md", "java_show");
    assertEquals("table", shown.path("kind").asText(), shown.toString());
    assertEquals(4000, shown.path("totalRows").asLong(), "cut at the cell's max_rows");
    assertEquals(200, shown.path("rows").size());
    JsonNode last =
        ApiClient.json(api.get("/api/notebooks/big.md/cells/java_show/rows?offset=3990&limit=100"));
    assertEquals(10, last.path("rows").size(), "the probe row past the cut is not shown");
    assertEquals(3999, last.path("rows").path(9).path(0).asLong());
    assertEquals(4000, last.path("totalRows").asLong());
  }

  @Test
  void aJavaCellReadsAllFifteenMillionRowsAPageAtATime() throws Exception {
    HeapSampler heap = new HeapSampler();
    JsonNode output = runWatched("java_sql_all", heap);
    assertEquals("text", output.path("kind").asText(), output.toString());
    String text = output.path("text").asText();
    assertTrue(text.startsWith("\"15000000 of 15000000, truncated=false\""), text);
    assertFalse(text.contains("truncated at"), text);
    assertBounded(heap, "java 15M read");
  }
}
