package dev.tracefix.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {
  @Test
  void valuesParseInTheUnitsPeopleWriteAndPrintBackTheSameWay() {
    Limits l =
        Limits.defaults()
            .with(
                Map.of(
                    "timeout", "90s",
                    "max_rows", "100_000",
                    "max_bytes", "1.5GB",
                    "memory", "512m",
                    "threads", "3",
                    "java_heap", "2g",
                    "java_cpu", "0.5"));
    assertEquals(Duration.ofSeconds(90), l.timeout());
    assertEquals(100_000, l.maxRows());
    assertEquals(1536L << 20, l.maxBytes());
    assertEquals(512L << 20, l.memory());
    assertEquals(3, l.threads());
    assertEquals(2L << 30, l.javaHeap());
    assertEquals(0.5, l.javaCpu());
    assertEquals(
        "timeout=90s max_rows=100000 max_bytes=1536MB memory=512MB threads=3 java_heap=2GB"
            + " java_cpu=0.5",
        l.line());
    assertEquals(10_000_000, Limits.defaults().with(Map.of("max_rows", "10M")).maxRows());
    assertEquals(
        Duration.ofMillis(250), Limits.defaults().with(Map.of("timeout", "250ms")).timeout());
  }

  @Test
  void theDefaultsLineNamesEveryLimit() {
    String line = Limits.defaults().line();
    for (Limit limit : Limit.values()) {
      assertTrue(line.contains(limit.key() + "="), line);
    }
    assertTrue(line.startsWith("timeout=2m max_rows=10000000 max_bytes=2GB memory=1GB"), line);
  }

  @Test
  void wrongNamesAndValuesSayWhatIsExpected() {
    LimitException unknown =
        assertThrows(LimitException.class, () -> Limits.defaults().with(Map.of("ram", "1GB")));
    assertTrue(
        unknown.getMessage().startsWith("unknown limit 'ram'; known: timeout, "),
        unknown.getMessage());
    LimitException duration =
        assertThrows(LimitException.class, () -> Limits.defaults().with(Map.of("timeout", "30")));
    assertEquals("timeout=30: not a duration like 500ms, 30s, 2m or 1h", duration.getMessage());
    LimitException tooSmall =
        assertThrows(LimitException.class, () -> Limits.defaults().with(Map.of("memory", "1MB")));
    assertEquals("memory must be at least 64MB", tooSmall.getMessage());
    assertEquals("memory", tooSmall.key());
  }

  @Test
  void aCellMaySetOnlyCellLimits() {
    assertEquals(
        Duration.ofSeconds(5), Limits.defaults().withCell(Map.of("timeout", "5s")).timeout());
    LimitException notebookOnly =
        assertThrows(
            LimitException.class, () -> Limits.defaults().withCell(Map.of("java_heap", "1GB")));
    assertTrue(
        notebookOnly.getMessage().startsWith("java_heap is a limit of the whole notebook"),
        notebookOnly.getMessage());
  }

  @Test
  void aHitLimitSaysItsValueAndWhereToRaiseIt() {
    Limits l = Limits.defaults();
    assertEquals(
        "the cell ran longer than its time limit (timeout=2m); raise it on the cell (```java"
            + " timeout=4m```) or for the notebook (front matter 'limits:' then '  timeout: 4m')",
        l.exceeded(Limit.TIMEOUT, "the cell ran longer than its time limit", "java"));
    assertEquals(
        "out of heap (java_heap=512MB); raise it for the notebook in its front matter ('limits:'"
            + " then '  java_heap: 1GB')",
        l.exceeded(Limit.JAVA_HEAP, "out of heap", "java"));
  }
}
