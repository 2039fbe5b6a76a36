package dev.tracefix.server.kernel.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.run.CellOutput;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JavaKernelTest {
  /** Host data without a database: enough to see the loopback bridge carry rows. */
  private static final HostData DATA =
      new HostData() {
        @Override
        public List<Map<String, Object>> sql(String query) {
          if (query.contains("boom")) {
            throw new IllegalArgumentException("Parser Error: syntax error at or near \"boom\"");
          }
          return List.of(Map.of("query", query, "n", 3));
        }

        @Override
        public List<Map<String, Object>> result(String name) {
          return List.of(Map.of("name", name), Map.of("name", name + "-2"));
        }
      };

  private static JavaKernel kernel;

  @BeforeAll
  static void start() {
    kernel = new JavaKernel(DATA, Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() {
    kernel.close();
  }

  @Test
  void printsAndTheLastExpressionValueBecomeText() {
    CellOutput out = kernel.run("int x = 20;\nSystem.out.println(\"hello\");\nx + 22");
    assertEquals(new CellOutput.Text("hello\n42"), out);
  }

  @Test
  void snippetsReachHostDataThroughTheHelpers() {
    CellOutput out =
        kernel.run("var rows = sql(\"select 1\");\nrows.get(0).get(\"n\") + \"/\" + result(\"retx\").size()");
    assertEquals(new CellOutput.Text("\"3/2\""), out);
  }

  @Test
  void aHostSideSqlFailureIsARuntimeErrorOfTheCell() {
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, kernel.run("sql(\"boom\")"));
    assertEquals("java", error.errorKind());
    assertTrue(error.message().contains("syntax error"), error.message());
  }

  @Test
  void aCompileErrorIsReportedAsData() {
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, kernel.run("int y = \"text\";"));
    assertEquals("java", error.errorKind());
    assertTrue(error.message().startsWith("compile error: "), error.message());
  }

  @Test
  void aRunawayLoopIsStoppedAndTheNextCellStillWorks() {
    CellOutput.Error error =
        assertInstanceOf(CellOutput.Error.class, kernel.run("while (true) { Math.sqrt(2); }"));
    assertTrue(error.message().contains("timeout"), error.message());
    assertEquals(new CellOutput.Text("2"), kernel.run("1 + 1"));
  }

  @Test
  void systemExitEndsOnlyTheSnippetVmAndAFreshOneServesTheNextCell() {
    kernel.run("int kept = 5;");
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, kernel.run("System.exit(3);"));
    assertTrue(error.message().contains("System.exit"), error.message());
    assertEquals(new CellOutput.Text("7"), kernel.run("3 + 4"));
    CellOutput gone = kernel.run("kept");
    assertInstanceOf(CellOutput.Error.class, gone, "definitions from the ended VM are gone");
  }

  @Test
  void aRootServerWithoutSetprivRefusesJavaCellsInsteadOfRunningThemAsRoot() {
    SnippetSandbox noSetpriv = SnippetSandbox.of(0, Optional.empty(), "nogroup");
    try (JavaKernel refusing = new JavaKernel(DATA, Duration.ofSeconds(3), noSetpriv)) {
      CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, refusing.run("1 + 1"));
      assertEquals("java", error.errorKind());
      assertTrue(error.message().contains("setpriv (util-linux)"), error.message());
      assertTrue(error.message().contains("runs as root"), error.message());
    }
  }

  @Test
  void aServerThatIsNotRootRunsSnippetsAsItselfAndARootOneThroughSetpriv() {
    assertEquals(List.of(), SnippetSandbox.of(1000, Optional.empty(), "nogroup").commandPrefix());
    assertEquals(
        List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
            "--no-new-privs"),
        SnippetSandbox.of(0, Optional.of(Path.of("/usr/bin/setpriv")), "nogroup").commandPrefix());
  }
}
