package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.CapturedReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repro judged by a SQL query over a capture of each run: the replay script exits 0 whatever
 * happens, so only what its processes did (a refused connect in the capture) tells a failing run
 * from a passing one. {@code tracefix minimize} finds the one input row that makes the connect,
 * each run captured under the real kernel.
 */
class CaptureQueryReproTest {
  @TempDir Path dir;

  @BeforeEach
  void keysInATempFolder() {
    System.setProperty("tracefix.keys", dir.resolve("keys").toString());
  }

  @AfterEach
  void forgetKeys() {
    System.clearProperty("tracefix.keys");
  }

  @Test
  void minimizeFindsTheRowWhoseRunTheCaptureShowsFailing() throws Exception {
    CliProcess.assumeKernelCapture();
    Path repo = CapturedReplay.writeInto(dir.resolve("target"));
    StringBuilder csv = new StringBuilder("step,action\n");
    List<String> actions =
        List.of("read", "noop", "read", "read", "noop", "connect", "read", "noop");
    for (int i = 0; i < actions.size(); i++) {
      csv.append(i + 1).append(',').append(actions.get(i)).append('\n');
    }
    Files.writeString(repo.resolve("steps.csv"), csv);
    Files.writeString(
        repo.resolve("tracefix.repro"),
        """
        incident: INC-1 refused connects
        run: ./replay.sh
        input: steps.csv
        timeout: 30s
        shrink: none
        capture-query: SELECT errno_name, count(*) AS calls FROM events WHERE errno_name = 'ECONNREFUSED' GROUP BY errno_name
        """);

    CliRun run =
        CliRun.of(
            "minimize",
            "--repro",
            repo.resolve("tracefix.repro").toString(),
            "--cache",
            "off",
            "--out",
            dir.resolve("out").toString());
    System.out.println(run.out());
    System.out.println(
        run.err().lines().filter(l -> !l.isBlank()).limit(40).reduce("", (a, b) -> a + b + "\n"));
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("minimized: 1 of 8 rows still fail"), run.out());
    List<String> minimal = Files.readAllLines(dir.resolve("out/input.min.csv"));
    assertEquals(List.of("step,action", "6,connect"), minimal);
    assertTrue(run.err().contains("querying the capture of the run"), run.err());
    CapturedReplay.assertNoRunCgroupLeft();
  }
}
