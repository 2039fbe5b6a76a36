package dev.tracefix.server.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.sink.EventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyst without any model, on the recorded demo capture and the demo repository. */
class DemoCaptureAnalystTest {
  @TempDir Path dir;

  @Test
  void onTheDemoCaptureItNamesTheTimeoutRegressionWithASupportedCheck() throws Exception {
    Path repo = GitFixtures.timeoutServiceRepo(dir.resolve("timeout-service"));
    try (EventStore store = EventStore.open(dir.resolve("store.duckdb"))) {
      store.importParquet(GitFixtures.projectRoot().resolve("examples/recorded-capture"));
      try (Connection c = store.connect()) {
        CellOutput.Hypotheses h =
            assertInstanceOf(
                CellOutput.Hypotheses.class,
                new TraceAnalyst()
                    .ask(
                        c,
                        Map.of("question", "why does inventory fail to answer checkout?"),
                        Optional.of(repo)));
        h.items()
            .forEach(i -> System.out.println("[" + i.check().verdict() + "] " + i.statement()));
        CellOutput.Hypothesis first = h.items().getFirst();
        assertTrue(first.statement().startsWith("inventory's replies come"), first.statement());
        assertTrue(
            first
                .statement()
                .contains("past the 50 ms timeout at src/checkout/CheckoutClient.java:"),
            first.statement());
        assertTrue(first.statement().contains("lowered from 500 ms in"), first.statement());
        assertTrue(
            first.statement().contains("client: tighten inventory timeout to fail fast"),
            first.statement());
        assertEquals(CellOutput.Check.SUPPORTED, first.check().verdict(), first.checkSql());
        assertEquals("deterministic analyst", h.provenance().answeredBy());
      }
    }
  }
}
