package dev.tracefix.server.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.server.capture.CaptureRecorder;
import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.sink.EventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second sample's incident, captured under the real kernel and read by the analyst with no
 * model: the relay's collector (the replay of INC-7314's points) is captured against the relay
 * at the bad commit, and the analyst must name what the capture shows of a parser bug, a client
 * that gives up on the relay's answers while the transport is clean.
 */
class RelayIncidentCaptureTest {
  @TempDir Path dir;

  static final String INCIDENT =
      """
      python3 relay.py --port 0 > relay.out 2>&1 &
      relay=$!
      trap 'kill -9 $relay 2>/dev/null' EXIT
      for i in $(seq 600); do grep -q 'listening on' relay.out && break; sleep 0.1; done
      address=$(sed -n 's/.*listening on \\([^ ]*\\).*/\\1/p' relay.out)
      echo "relay at $address"
      python3 replay.py "$address" incident/inc-7314-points.csv
      status=$?
      kill $relay
      exit $status
      """;

  @Test
  void theAnalystNamesTheClientThatRejectsTheRelaysAnswers() throws Exception {
    var reason = Capture.unavailableReason();
    if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
      fail("CI=true requires eBPF capture, but: " + reason.get());
    }
    assumeTrue(reason.isEmpty(), () -> "eBPF capture unavailable: " + reason.orElse(""));
    Path repo = GitFixtures.metricsRelayRepo(dir.resolve("metrics-relay"));
    Path db = dir.resolve("incident.duckdb");
    CaptureConfig config =
        new CaptureConfig(Duration.ofSeconds(60), OptionalInt.empty(),
            List.of("bash", "-c", "cd '" + repo + "'\n" + INCIDENT), dir.resolve("keys"));
    var summary = CaptureRecorder.record(config, db);
    System.out.println("captured " + summary.eventCount() + " events; command exit " + summary.commandExitCode()
        + "; relay said: " + java.nio.file.Files.readString(repo.resolve("relay.out")));
    assertEquals(1, summary.commandExitCode(), "the replay finds a point stored wrong");
    try (EventStore store = EventStore.open(db); Connection c = store.connect()) {
      CellOutput.Hypotheses h = assertInstanceOf(CellOutput.Hypotheses.class,
          new TraceAnalyst().ask(c, Map.of("question", "why does the relay store some hosts wrong?"), Optional.of(repo)));
      h.items().forEach(i -> System.out.println("[" + i.check().verdict() + "] " + i.statement() + " -- " + i.evidence()));
      CellOutput.Hypothesis first = h.items().getFirst();
      assertTrue(first.statement().matches(
          "python3 \\[p_[0-9a-f]{8}\\] gave up on the answers of python3 \\[p_[0-9a-f]{8}\\] \\(port \\d+\\):"
              + " it exited with status 1 after \\d+ clean exchanges, so what failed is what it was answered"
              + " \\(the data\\), not the transport"), first.statement());
      assertEquals(CellOutput.Check.SUPPORTED, first.check().verdict(), first.checkSql());
      assertTrue(h.items().stream().noneMatch(i -> i.statement().startsWith("retry storm")),
          "an interpreter's module search is no retry storm");
    }
  }
}
