package dev.tracefix.server.minimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.fixloop.TestCellContext;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinimizeCellRunnerTest {
  /**
   * Fails (exit 1) when any row's bytes exceed 4096: a stand-in repro that runs in milliseconds.
   */
  static final String BULK_FAILS =
      "awk -F, 'NR > 1 && $2 > 4096 { bulk = 1 } END { exit bulk }' \"$TRACEFIX_INPUT\"";

  @TempDir Path temp;

  /** 30 requests in time order, two of them bulk (rows 8 and 20). */
  static CellOutput.Table requests() {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      long bytes = i == 8 ? 6144 : i == 20 ? 7300 : 200 + (i * 37) % 900;
      rows.add(List.of(i * 50L, bytes));
    }
    return new CellOutput.Table(List.of("time_ms", "bytes"), rows, rows.size());
  }

  @Test
  void shrinksTheTimeoutServiceTraceToOneBulkRequest() throws Exception {
    Path repo = GitFixtures.timeoutServiceRepo(temp.resolve("timeout-service"));
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))
            .with("requests", requests())) {
      CellOutput out =
          new MinimizeCellRunner()
              .run(
                  Map.of("input", "requests", "repo", repo.toString(), "run", "./repro.sh"),
                  context);
      CellOutput.Minimized minimized =
          assertInstanceOf(CellOutput.Minimized.class, out, out.toString());
      System.out.println(
          "minimal rows "
              + minimized.rows()
              + " of "
              + minimized.originalSize()
              + ", "
              + minimized.oracleCalls()
              + " repro runs");
      assertEquals(1, minimized.rows().size());
      assertTrue(((Number) minimized.rows().get(0).get(1)).longValue() > 4096);
      assertEquals(30, minimized.originalSize());
      System.out.println(minimized.testScaffold());
    }
  }

  @Test
  void readsTheInputFromDuckDbWhenTheCellResultIsNotInMemory() throws Exception {
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      try (Statement s = context.sql().createStatement()) {
        s.execute(
            "CREATE TABLE requests AS SELECT i * 10 AS time_ms,"
                + " CASE WHEN i IN (3, 17) THEN 5000 ELSE 300 END AS bytes FROM range(1, 41) t(i)");
      }
      CellOutput out =
          new MinimizeCellRunner()
              .run(
                  Map.of("input", "requests", "repo", temp.toString(), "run", BULK_FAILS), context);
      CellOutput.Minimized minimized =
          assertInstanceOf(CellOutput.Minimized.class, out, out.toString());
      System.out.println(
          "duckdb input: " + minimized.rows() + ", " + minimized.oracleCalls() + " runs");
      assertEquals(List.of("time_ms", "bytes"), minimized.columns());
      assertEquals(1, minimized.rows().size());
      assertEquals(40, minimized.originalSize());
    }
  }

  @Test
  void reportsAReproThatPassesOnTheFullInput() throws Exception {
    List<List<Object>> small = List.of(List.of(1L, 300L), List.of(2L, 400L));
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))
            .with("requests", new CellOutput.Table(List.of("time_ms", "bytes"), small, 2))) {
      CellOutput out =
          new MinimizeCellRunner()
              .run(
                  Map.of("input", "requests", "repo", temp.toString(), "run", BULK_FAILS), context);
      CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, out);
      assertTrue(
          error.message().startsWith("the repro passes on the full input; nothing to minimize"),
          error.message());
    }
  }

  @Test
  void writesAJUnitTestThatCompilesAndShrinksTheBulkRequestToTheBoundary() throws Exception {
    // a Java target (the generator picks JUnit) with a deterministic stand-in repro
    Path app = Files.createDirectories(temp.resolve("app/src"));
    Files.writeString(app.resolve("App.java"), "class App {}\n");
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))
            .with("requests", requests())) {
      CellOutput out =
          new MinimizeCellRunner()
              .run(
                  Map.of(
                      "input",
                      "requests",
                      "repo",
                      app.getParent().toString(),
                      "run",
                      BULK_FAILS,
                      "shrink",
                      "bytes"),
                  context);
      CellOutput.Minimized minimized =
          assertInstanceOf(CellOutput.Minimized.class, out, out.toString());
      System.out.println(minimized.shrunk() + "\n" + minimized.testScaffold());
      assertEquals(1, minimized.rows().size());
      assertEquals(List.of("row 1 bytes: 6144 -> 4097 (14 tries)"), minimized.shrunk());
      assertEquals(
          4097L, ((Number) minimized.rows().get(0).get(1)).longValue(), "bulk starts above 4 KiB");
      assertEquals("tracefix/MinimalReproTest.java", minimized.testPath());
      Path source =
          Files.createDirectories(temp.resolve("gen/tracefix")).resolve("MinimalReproTest.java");
      Files.writeString(source, minimized.testScaffold());
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int status =
          javac.run(
              null,
              null,
              null,
              "-d",
              temp.resolve("classes").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              source.toString());
      assertEquals(0, status, minimized.testScaffold());
    }
  }

  @Test
  void readsTheSpecFileOfThePythonSampleAndItsInput() throws Exception {
    Path repo = GitFixtures.metricsRelayRepo(temp.resolve("relay"));
    try (TestCellContext context =
        new TestCellContext(temp, Files.createDirectory(temp.resolve("work")))) {
      CellOutput out =
          new MinimizeCellRunner()
              .run(
                  Map.of("repo", repo.toString(), "spec", "tracefix.repro", "shrink", "host"),
                  context);
      CellOutput.Minimized minimized =
          assertInstanceOf(CellOutput.Minimized.class, out, out.toString());
      assertEquals(300, minimized.originalSize());
      assertEquals(
          List.of("time", "measurement", "host", "value", "delay_ms"), minimized.columns());
      assertEquals(" ", minimized.rows().get(0).get(2), "the escaped host shrinks to one space");
      assertTrue(minimized.testPath().endsWith("-repro-test.sh"), minimized.testPath());
      assertTrue(
          context.progressLines().stream().anyMatch(l -> l.contains("[") && l.contains("/90900]")),
          "progress against ddmin's bound: " + context.progressLines());
    }
  }
}
