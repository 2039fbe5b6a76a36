package dev.tracefix.fixloop.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.fixloop.TestRepo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated JUnit 5 test, compiled and run by JUnit in its own JVM in the Java sample's tree:
 * it fails on the bad commit and passes once the timeout is restored. (The script kind is checked
 * both ways on the Python sample by the CLI's FixCommandTest.)
 */
class RegressionTestTest {
  @TempDir Path temp;

  @Test
  void theGeneratedJUnitTestFailsBeforeTheFixAndPassesAfter() throws Exception {
    Path repoDir = temp.resolve("timeout-service");
    TestRepo.Result built =
        TestRepo.exec(
            temp,
            List.of(
                TestRepo.projectRoot()
                    .resolve("examples/timeout-service/build-history.sh")
                    .toString(),
                repoDir.toString()),
            Map.of());
    assertEquals(0, built.exitCode(), built.output());
    Path bad = temp.resolve("bad");
    try (Repository git = GitRepos.open(repoDir)) {
      TreeMaterializer.materialize(git, GitRepos.commit(git, "HEAD"), bad);
    }
    Path fixed = temp.resolve("fixed");
    TestRepo.exec(temp, List.of("cp", "-r", bad.toString(), fixed.toString()), Map.of());
    Path client = fixed.resolve("src/checkout/CheckoutClient.java");
    Files.writeString(
        client,
        Files.readString(client).replace("Duration.ofMillis(50)", "Duration.ofMillis(500)"));

    ReproSpec spec =
        ReproSpec.fromMap(
            Map.of("incident", "INC-2041 checkout timeouts", "run", "./repro.sh", "timeout", "60s"),
            repoDir,
            "test");
    InputTable minimal = new InputTable(List.of("time_ms", "bytes"), List.of(List.of(0L, 4097L)));
    RegressionTest test = RegressionTest.generate(spec, minimal, 318, bad);
    assertEquals(RegressionTest.Kind.JUNIT, test.kind());
    assertEquals("tracefix/IncidentInc2041CheckoutTimeoutsReproTest.java", test.path());
    System.out.println(test.content());

    Path source =
        Files.createDirectories(temp.resolve("test-src/tracefix"))
            .resolve(test.className() + ".java");
    Files.writeString(source, test.content());
    Path classes = temp.resolve("test-classes");
    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                source.toString());
    assertEquals(0, compiled, "the generated test does not compile");

    TestRepo.Result red = runJUnit(bad, classes, "tracefix." + test.className());
    TestRepo.Result green = runJUnit(fixed, classes, "tracefix." + test.className());
    System.out.println("bad tree:\n" + red.output() + "\nfixed tree:\n" + green.output());
    assertNotEquals(0, red.exitCode());
    assertTrue(red.output().contains("the repro still fails on the minimized input"), red.output());
    assertEquals(0, green.exitCode(), green.output());
  }

  private static TestRepo.Result runJUnit(Path tree, Path classes, String className)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path") + File.pathSeparator + classes;
    return TestRepo.exec(
        tree,
        List.of(java, "-cp", cp, "-Dtracefix.repo=" + tree, JUnitOnce.class.getName(), className),
        Map.of("JAVA_HOME", System.getProperty("java.home")));
  }

  @Test
  void aScriptTestForANonJavaTreeFindsItsRootFromItsOwnPlace() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("py"));
    Files.writeString(tree.resolve("app.py"), "print('hi')\n");
    ReproSpec spec =
        ReproSpec.fromMap(
            Map.of("run", "test $(tail -n +2 \"$TRACEFIX_INPUT\" | wc -l) -lt 2", "timeout", "5s"),
            tree,
            "t");
    RegressionTest test =
        RegressionTest.generate(
            spec, new InputTable(List.of("n"), List.of(List.of(1), List.of(2))), 10, tree);
    assertEquals(RegressionTest.Kind.SCRIPT, test.kind());
    Path script = tree.resolve(test.path());
    Files.createDirectories(script.getParent());
    Files.writeString(script, test.content());
    assertEquals(
        1,
        TestRepo.exec(temp, List.of("bash", script.toString()), Map.of()).exitCode(),
        "two rows fail the repro");
    RegressionTest one =
        RegressionTest.generate(spec, new InputTable(List.of("n"), List.of(List.of(1))), 10, tree);
    Files.writeString(script, one.content());
    assertEquals(0, TestRepo.exec(temp, List.of("bash", script.toString()), Map.of()).exitCode());
    assertTrue(Duration.ofSeconds(5).equals(spec.timeout()));
  }
}
