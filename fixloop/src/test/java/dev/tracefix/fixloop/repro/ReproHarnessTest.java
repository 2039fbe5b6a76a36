package dev.tracefix.fixloop.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproHarnessTest {
  @TempDir Path temp;

  private ReproHarness harness(Map<String, String> keys) {
    return new ReproHarness(
        ReproSpec.fromMap(keys, temp, "test spec"), temp.resolve("scratch"), Control.quiet());
  }

  private static Map<String, String> keys(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /**
   * Running, not a zombie: in a container whose init does not reap, killed orphans stay zombies.
   */
  private static boolean alive(Path pidFile) throws Exception {
    Path stat = Path.of("/proc", Files.readString(pidFile).strip(), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String text = Files.readString(stat);
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state != 'Z' && state != 'X';
  }

  @Test
  void killsWhatTheReproLeftRunningInItsProcessGroup() throws Exception {
    Path pid = temp.resolve("sleeper.pid");
    Attempt a =
        harness(keys("run", "sleep 300 & echo $! > " + pid + "; exit 1"))
            .attempt(temp, Optional.empty());
    assertEquals(Verdict.BAD, a.verdict());
    Thread.sleep(200);
    assertFalse(alive(pid), "the background sleeper outlived the repro");
  }

  @Test
  void aRunOverItsTimeLimitIsKilledAndCountsAsExit124() throws Exception {
    Path pid = temp.resolve("child.pid");
    long started = System.nanoTime();
    Attempt a =
        harness(
                keys(
                    "run",
                    "bash -c 'echo $$ > " + pid + "; sleep 300'; sleep 300",
                    "timeout",
                    "700ms"))
            .attempt(temp, Optional.empty());
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(124, a.exitCode());
    assertEquals(
        Verdict.BAD, a.verdict(), "a hang is a failure, as under 'git bisect run timeout ...'");
    assertTrue(a.note().contains("timed out"), a.note());
    assertTrue(millis < 5000, "took " + millis + " ms");
    Thread.sleep(200);
    assertFalse(alive(pid), "a grandchild outlived the time limit");
  }

  @Test
  void cancellingStopsARunningReproAtOnce() throws Exception {
    Cancellation cancel = new Cancellation();
    ReproHarness h =
        new ReproHarness(
            ReproSpec.fromMap(keys("run", "sleep 300"), temp, "t"),
            temp.resolve("s"),
            new Control(e -> {}, cancel));
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              cancel.cancel();
            });
    long started = System.nanoTime();
    FixLoopException e =
        assertThrows(FixLoopException.class, () -> h.attempt(temp, Optional.empty()));
    assertEquals(FixLoopException.Kind.CANCELLED, e.kind());
    assertTrue((System.nanoTime() - started) / 1_000_000 < 5000);
  }

  @Test
  void startsTheTargetWaitsUntilReadyAndHandsItsAddressToTheRun() throws Exception {
    Files.writeString(temp.resolve("input.csv"), "");
    ReproHarness h =
        harness(
            keys(
                "start",
                    "echo booting; sleep 0.3; echo 'listening on 127.0.0.1:4242'; exec sleep 300",
                "ready", "listening on (\\S+)",
                "run",
                    "test \"$TRACEFIX_READY\" = 127.0.0.1:4242 && test $(wc -l < \"$TRACEFIX_INPUT\") = 3"));
    InputTable input = new InputTable(List.of("n"), List.of(List.of(1), List.of(2)));
    Attempt a = h.attempt(temp, Optional.of(input));
    assertEquals(Verdict.GOOD, a.verdict(), a.outputTail());
  }

  @Test
  void aTargetThatDiesBeforeItIsReadyIsASkip() {
    Attempt a =
        harness(keys("start", "echo oops; exit 3", "ready", "listening", "run", "true"))
            .attempt(temp, Optional.empty());
    assertEquals(Verdict.SKIP, a.verdict());
    assertEquals(Attempt.Phase.START, a.phase());
  }

  @Test
  void aFailureThatDoesNotMatchIsNotThisBug() {
    ReproHarness h =
        harness(keys("run", "echo NullPointerException; exit 1", "match", "timed out"));
    Attempt a = h.attempt(temp, Optional.empty());
    assertEquals(Verdict.SKIP, a.verdict());
    assertTrue(a.note().contains("failed differently"), a.note());
    assertEquals(
        Verdict.BAD,
        harness(keys("run", "echo 'row 3: timed out'; exit 1", "match", "timed out"))
            .attempt(temp, Optional.empty())
            .verdict());
  }

  @Test
  void buildsOncePerTreeAndSkipsWhenTheBuildFails() throws Exception {
    ReproHarness h = harness(keys("build", "echo x >> builds.log", "run", "true"));
    h.attempt(temp, Optional.empty());
    h.attempt(temp, Optional.empty());
    assertEquals(1, Files.readAllLines(temp.resolve("builds.log")).size());
    Attempt broken =
        harness(keys("build", "exit 2", "run", "true")).attempt(temp, Optional.empty());
    assertEquals(Verdict.SKIP, broken.verdict());
    assertEquals(Attempt.Phase.BUILD, broken.phase());
  }

  @Test
  void passesTheInputAsTheLastArgumentAndWithDelaysFromTheSchedule() throws Exception {
    ReproHarness h = harness(keys("run", "bash -c 'cp \"$1\" seen.csv' copy", "schedule", "t"));
    InputTable input =
        new InputTable(
            List.of("t", "v"),
            List.of(List.of(1000L, "a"), List.of(1250L, "b,c"), List.of(1200L, "d")));
    assertEquals(Verdict.GOOD, h.attempt(temp, Optional.of(input)).verdict());
    assertEquals(
        "t,v,delay_ms\n1000,a,0\n1250,\"b,c\",250\n1200,d,0\n",
        Files.readString(temp.resolve("seen.csv")));
    assertEquals(
        input.rows().get(1),
        InputTable.readCsv(temp.resolve("seen.csv")).rows().get(1).subList(0, 2).stream()
            .map(v -> v.equals("1250") ? (Object) 1250L : v)
            .toList());
  }

  @Test
  void mapsExitCodesLikeGitBisectRun() {
    assertEquals(Verdict.GOOD, Verdict.ofExitCode(0));
    assertEquals(Verdict.BAD, Verdict.ofExitCode(1));
    assertEquals(Verdict.BAD, Verdict.ofExitCode(124));
    assertEquals(Verdict.SKIP, Verdict.ofExitCode(125));
    assertEquals(Verdict.BAD, Verdict.ofExitCode(127));
    assertEquals(Verdict.ABORT, Verdict.ofExitCode(128));
    assertEquals(Verdict.ABORT, Verdict.ofExitCode(255));
    assertEquals(Verdict.ABORT, Verdict.ofExitCode(-1));
  }

  @Test
  void readsASpecFileAndRefusesUnknownKeys() throws Exception {
    Path file =
        Files.writeString(
            temp.resolve("repro.spec"),
            """
        # incident spec
        incident: INC-7 parser drops a byte
        run: ./repro.sh
        input: incident/input.csv
        timeout: 20s
        shrink: line
        """);
    ReproSpec spec = ReproSpec.read(file);
    assertEquals("INC-7 parser drops a byte", spec.incident());
    assertEquals(Duration.ofSeconds(20), spec.timeout());
    assertEquals(temp.resolve("incident/input.csv"), spec.inputFile().orElseThrow());
    assertTrue(spec.shrink().covers("line") && !spec.shrink().covers("time"));
    assertEquals(
        spec.text(),
        ReproSpec.read(Files.writeString(temp.resolve("again.spec"), spec.text())).text());
    Files.writeString(file, "run: x\ntiemout: 3s\n");
    FixLoopException e = assertThrows(FixLoopException.class, () -> ReproSpec.read(file));
    assertTrue(e.getMessage().contains("tiemout"), e.getMessage());
  }

  /**
   * A capture that records which processes entered it (their pids, written by the enter prefix as
   * each command execs) and answers the query with them: what a real capture of the run would be
   * asked, minus the kernel (CaptureQueryReproTest in the workbench runs the real one).
   */
  private static final class PidLog implements RunCapture {
    final List<String> queries = new java.util.ArrayList<>();
    int begun;
    int closed;

    @Override
    public Session begin(Path scratch) {
      begun++;
      Path log = scratch.resolve("entered-" + begun);
      return new Session() {
        @Override
        public List<String> enter() {
          return List.of("sh", "-c", "echo $$ >> '" + log + "'; exec \"$@\"", "enter");
        }

        @Override
        public Optional<String> stopAndQuery(String sql, Duration timeout) {
          queries.add(sql);
          try {
            List<String> pids = Files.exists(log) ? Files.readAllLines(log) : List.of();
            // the "query": did two processes (the target and the run) enter the capture?
            return pids.size() >= Integer.parseInt(sql.strip())
                ? Optional.of(pids.size() + " processes")
                : Optional.empty();
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public void close() {
          closed++;
        }
      };
    }
  }

  @Test
  void aCaptureQueryJudgesTheRunWhateverItsExitCodeAndTheTargetAndRunBothEnterTheCapture()
      throws Exception {
    PidLog capture = new PidLog();
    Map<String, String> spec =
        keys(
            "start",
            "echo ready; sleep 300",
            "ready",
            "ready",
            "run",
            "exit 0",
            "capture-query",
            "2");
    ReproHarness h =
        new ReproHarness(
            ReproSpec.fromMap(spec, temp, "t"),
            temp.resolve("scratch"),
            Control.quiet().withCapture(capture));
    Files.createDirectories(temp.resolve("scratch"));
    Attempt failing = h.attempt(temp, Optional.empty());
    assertEquals(Verdict.BAD, failing.verdict(), failing.note());
    assertEquals("the capture query returned a row: 2 processes", failing.note());
    assertEquals(0, failing.exitCode(), "the run itself passed: only the capture says it failed");

    spec.put("capture-query", "3");
    Attempt passing =
        new ReproHarness(
                ReproSpec.fromMap(spec, temp, "t"),
                temp.resolve("scratch"),
                Control.quiet().withCapture(capture))
            .attempt(temp, Optional.empty());
    assertEquals(Verdict.GOOD, passing.verdict(), passing.note());

    spec.put("run", "exit 125");
    Attempt skipped =
        new ReproHarness(
                ReproSpec.fromMap(spec, temp, "t"),
                temp.resolve("scratch"),
                Control.quiet().withCapture(capture))
            .attempt(temp, Optional.empty());
    assertEquals(Verdict.SKIP, skipped.verdict(), "125 still means cannot tell");
    assertEquals(List.of("2", "3"), capture.queries, "a skipped run is not queried");
    assertEquals(3, capture.begun);
    assertEquals(3, capture.closed, "every run's capture is closed");

    FixLoopException refused =
        assertThrows(
            FixLoopException.class,
            () ->
                new ReproHarness(
                        ReproSpec.fromMap(spec, temp, "t"),
                        temp.resolve("scratch"),
                        Control.quiet())
                    .attempt(temp, Optional.empty()));
    assertTrue(
        refused.getMessage().contains("'capture-query:' needs a capture of the run"),
        refused.getMessage());
  }
}
