package dev.tracefix.server.bisect;

import static dev.tracefix.server.fixloop.GitFixtures.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.run.FileNotebookWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An action cell's repro runs for minutes: the notebook's interrupt (the same call as {@code POST
 * /api/notebooks/{name}/interrupt}) stops it and kills the command, and the progress lines the fix
 * loop reports reach the workspace's listeners as the CLI's reach stderr.
 */
class ActionCellInterruptTest {
  @TempDir Path temp;

  @Test
  void theInterruptStopsABisectCellAndKillsItsRepro() throws Exception {
    Path repo = Files.createDirectory(temp.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    for (int i = 1; i <= 3; i++) {
      Files.writeString(repo.resolve("f.txt"), "v" + i + "\n");
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "v" + i);
    }
    Path pid = temp.resolve("repro.pid");
    Path notebooks = Files.createDirectory(temp.resolve("notebooks"));
    Files.writeString(
        notebooks.resolve("slow.md"),
        """
        # Slow bisect

        ```bisect name=culprit
        repo: %s
        good: HEAD~2
        run: echo $$ > %s; sleep 300
        timeout: 10m
        ```
        """
            .formatted(repo, pid));
    List<String> progress = new CopyOnWriteArrayList<>();
    Path store = temp.resolve("empty.duckdb");
    DriverManager.getConnection("jdbc:duckdb:" + store).close();
    try (FileNotebookWorkspace workspace =
        new FileNotebookWorkspace(
            notebooks,
            NotebookDatabases.unlocked(store),
            temp,
            Map.of("bisect", new BisectCellRunner()))) {
      workspace.addProgressListener((nb, cell, line) -> progress.add(line));
      CompletableFuture<CellOutput> run =
          CompletableFuture.supplyAsync(() -> workspace.runCell("slow.md", "culprit"));
      for (int i = 0; i < 100 && !Files.exists(pid); i++) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(pid), "the repro never started");
      long started = System.nanoTime();
      workspace.cancel("slow.md");
      CellOutput out = run.get(30, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      System.out.println(
          "stopped " + millis + " ms after the interrupt: " + out + "\nprogress: " + progress);
      CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, out);
      assertEquals("interrupted", error.errorKind());
      Thread.sleep(200);
      String stat =
          Path.of("/proc", Files.readString(pid).strip(), "stat").toFile().exists()
              ? Files.readString(Path.of("/proc", Files.readString(pid).strip(), "stat"))
              : "";
      assertTrue(
          stat.isEmpty() || stat.charAt(stat.lastIndexOf(')') + 2) == 'Z',
          "the repro still runs: " + stat);
      assertTrue(
          progress.stream().anyMatch(l -> l.startsWith("build:") || l.startsWith("bisect:")),
          progress.toString());
    }
  }
}
