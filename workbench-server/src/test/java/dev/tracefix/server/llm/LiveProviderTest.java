package dev.tracefix.server.llm;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tracefix.server.message.CellOutput;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in: the demo incident against a real model server, e.g. a local llama.cpp server or Ollama
 * (none is packaged for this machine's Debian, so CI never runs it). Set TRACEFIX_LLM_LIVE=1 and
 * TRACEFIX_LLM_PROVIDER, _BASE_URL, _MODEL (and _API_KEY if the server wants one).
 */
@EnabledIfEnvironmentVariable(named = "TRACEFIX_LLM_LIVE", matches = "1")
class LiveProviderTest {
  @TempDir Path dir;

  @Test
  void aRealModelAnswersTheDemoQuestionWithCheckedHypotheses() throws Exception {
    try (DemoIncident incident = new DemoIncident(dir)) {
      CellOutput out =
          incident
              .runner(System.getenv())
              .run(
                  Map.of(
                      "question",
                      "why does inventory fail to answer checkout?",
                      "repo",
                      incident.repo.toString()),
                  incident.context());
      System.out.println(out);
      CellOutput.Hypotheses h =
          assertInstanceOf(CellOutput.Hypotheses.class, out, String.valueOf(out));
      h.items().forEach(i -> System.out.println("[" + i.check().verdict() + "] " + i.statement()));
    }
  }
}
