package dev.tracefix.server.kernel.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JavaKernelTest {
  /** Host data without a database: enough to see the loopback bridge carry rows. */
  static final HostData DATA =
      new HostData() {
        @Override
        public HostTable sql(String query) {
          if (query.contains("boom")) {
            throw new IllegalArgumentException("Parser Error: syntax error at or near \"boom\"");
          }
          return new HostTable(
              null, List.of("query", "n"), List.of(List.of(query, 3)), 0, 1, false, null);
        }

        @Override
        public HostTable result(String name) {
          return new HostTable(
              null,
              List.of("name"),
              List.of(List.of(name), List.of(name + "-2")),
              0,
              2,
              false,
              null);
        }

        @Override
        public HostTable page(String handle, long offset, int limit) {
          throw new IllegalArgumentException("no tables are kept here");
        }

        @Override
        public CellOutput.Table show(String handle) {
          throw new IllegalArgumentException("no tables are kept here");
        }
      };

  static final JavaKernel.VmLimits VM = new JavaKernel.VmLimits(256L << 20, 1);
  static final Limits LIMITS = Limits.defaults().with(Map.of("timeout", "3s"));

  private static JavaKernel kernel;

  @BeforeAll
  static void start() {
    kernel = new JavaKernel(DATA, VM, () -> {});
  }

  private static CellOutput run(String source) {
    return kernel.run(source, LIMITS);
  }

  @AfterAll
  static void stop() {
    kernel.close();
  }

  @Test
  void printsAndTheLastExpressionValueBecomeText() {
    CellOutput out = run("int x = 20;\nSystem.out.println(\"hello\");\nx + 22");
    assertEquals(new CellOutput.Text("hello\n42"), out);
  }

  @Test
  void snippetsReachHostDataThroughTheHelpers() {
    CellOutput out =
        run(
            "var rows = sql(\"select 1\");\nrows.get(0).get(\"n\") + \"/\" + result(\"retx\").size()");
    assertEquals(new CellOutput.Text("\"3/2\""), out);
  }

  @Test
  void showMakesAListOfMapsTheCellsTableOutput() {
    CellOutput out =
        run(
            "System.out.println(\"not kept\");\n"
                + "var rows = new ArrayList<Map<String, Object>>();\n"
                + "for (int i = 0; i < 500; i++) { rows.add(new LinkedHashMap<>(Map.of(\"i\", i))); }\n"
                + "show(rows);");
    CellOutput.Table table = assertInstanceOf(CellOutput.Table.class, out);
    assertEquals(List.of("i"), table.columns());
    assertEquals(200, table.rows().size(), "the first rows only cross");
    assertEquals(500, table.totalRows());
    assertEquals(new CellOutput.Text("y\n\"x\""), run("show(\"y\");\n\"x\""), "other values print");
  }

  @Test
  void aHostSideSqlFailureIsARuntimeErrorOfTheCell() {
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, run("sql(\"boom\")"));
    assertEquals("java", error.errorKind());
    assertTrue(error.message().contains("syntax error"), error.message());
  }

  @Test
  void aCompileErrorIsReportedAsData() {
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, run("int y = \"text\";"));
    assertEquals("java", error.errorKind());
    assertTrue(error.message().startsWith("compile error: "), error.message());
  }

  @Test
  void aRunawayLoopIsStoppedAndTheNextCellStillWorks() {
    CellOutput.Error error =
        assertInstanceOf(CellOutput.Error.class, run("while (true) { Math.sqrt(2); }"));
    assertTrue(error.message().contains("timeout"), error.message());
    assertEquals(new CellOutput.Text("2"), run("1 + 1"));
  }

  @Test
  void systemExitEndsOnlyTheSnippetVmAndAFreshOneServesTheNextCell() {
    run("int kept = 5;");
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, run("System.exit(3);"));
    assertTrue(error.message().contains("System.exit"), error.message());
    assertEquals(new CellOutput.Text("7"), run("3 + 4"));
    CellOutput gone = run("kept");
    assertInstanceOf(CellOutput.Error.class, gone, "definitions from the ended VM are gone");
  }

  @Test
  void aRootServerWithoutSetprivRefusesJavaCellsInsteadOfRunningThemAsRoot() {
    SnippetSandbox noSetpriv = SnippetSandbox.of(0, Optional.empty(), "nogroup");
    try (JavaKernel refusing = new JavaKernel(DATA, VM, () -> {}, noSetpriv)) {
      CellOutput.Error error =
          assertInstanceOf(CellOutput.Error.class, refusing.run("1 + 1", LIMITS));
      assertEquals("java", error.errorKind());
      assertTrue(error.message().contains("setpriv (util-linux)"), error.message());
      assertTrue(error.message().contains("runs as root"), error.message());
    }
  }

  @Test
  void aServerThatIsNotRootRunsSnippetsAsItselfAndARootOneThroughSetpriv() {
    assertEquals(List.of(), SnippetSandbox.of(1000, Optional.empty(), "nogroup").commandPrefix());
    assertEquals(
        List.of(
            "/usr/bin/setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--no-new-privs"),
        SnippetSandbox.of(0, Optional.of(Path.of("/usr/bin/setpriv")), "nogroup").commandPrefix());
  }
}
