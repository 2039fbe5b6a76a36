package dev.tracefix.server.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.tracefix.server.analyst.HypothesisChecks;
import dev.tracefix.server.message.CellOutput;
import java.io.IOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks a model for hypotheses and lets it use {@link AnalystTools} on the way: the conversation
 * goes back and forth until the model answers with JSON hypotheses (or runs out of turns). Every
 * request passes the privacy gateway ({@link GatedModel}); the workbench then runs each proposed
 * check itself, and only its verdict is shown as one.
 */
final class ModelAnalyst {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String SYSTEM =
      """
      You are the analyst of tracefix, a production-debugging workbench. You get statistics of a
      redacted system-call and TCP trace (DuckDB tables), the deterministic analyst's findings and,
      when attached, snippets of the service's repository. Values such as <EMAIL:3f9a1c2b> are
      placeholders for redacted data; tokens like p_... are keyed process identities. Use the tools
      to look at the data before you answer; every query must be read-only.

      Answer with JSON only, in this shape:
      {"hypotheses": [{"statement": "...", "evidence": "...", "evidence_keys": ["process_token=...", "time=..."],
        "check_sql": "SELECT ... returning rows when the hypothesis holds and no rows when it does not"}]}
      Give at most five hypotheses, most likely first. Every hypothesis needs a check_sql that the
      workbench can run on the same tables; it marks each one supported, refuted or not checkable.
      """;

  private final GatedModel model;
  private final AnalystTools tools;
  private final HypothesisChecks checks;
  private final boolean withRepository;

  ModelAnalyst(
      GatedModel model, AnalystTools tools, HypothesisChecks checks, boolean withRepository) {
    this.model = model;
    this.tools = tools;
    this.checks = checks;
    this.withRepository = withRepository;
  }

  /** Runs the conversation to an answer; the hypotheses come back checked. */
  CellOutput.Hypotheses hypothesize(Connection connection, String context) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(SystemMessage.from(SYSTEM));
    messages.add(UserMessage.from(context));
    String promptSha256 = null;
    int turns = model.settings().maxSteps();
    for (int turn = 0; turn < turns; turn++) {
      ChatRequest request =
          ChatRequest.builder()
              .messages(messages)
              .toolSpecifications(AnalystTools.specifications(withRepository))
              .build();
      GatedModel.Answer answer =
          model.send(request, tools.holds(), turn == 0 ? "hypothesize" : "tool-results");
      if (promptSha256 == null) {
        promptSha256 = answer.cleared().textSha256();
      }
      AiMessage ai = answer.response() == null ? null : answer.response().aiMessage();
      if (ai == null) {
        throw new LlmException(LlmException.Kind.MALFORMED, "the model sent an empty answer");
      }
      if (ai.hasToolExecutionRequests()) {
        messages.add(ai);
        for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
          model.checkStopped();
          messages.add(ToolExecutionResultMessage.from(call, tools.execute(call)));
        }
        continue;
      }
      List<CellOutput.Hypothesis> proposed = parse(model.settings().apiKey().scrub(ai.text()));
      LlmSettings s = model.settings();
      return new CellOutput.Hypotheses(
          checks.check(connection, proposed),
          new CellOutput.Provenance(
              "model",
              s.provider().word(),
              s.model(),
              promptSha256,
              model.sent(),
              "hypotheses from "
                  + s.model()
                  + " ("
                  + tools.calls().size()
                  + " tool calls); every"
                  + " verdict is the workbench's own run of the check query"));
    }
    throw new LlmException(
        LlmException.Kind.MALFORMED,
        "the model used all "
            + turns
            + " turns on tool calls without answering; raise max_steps in "
            + LlmSettings.FILE_NAME
            + " or ask a narrower question");
  }

  /** The model's JSON answer as hypotheses (not yet checked). */
  static List<CellOutput.Hypothesis> parse(String text) {
    if (text == null || text.isBlank()) {
      throw new LlmException(LlmException.Kind.MALFORMED, "the model's answer is empty");
    }
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start < 0 || end < start) {
      throw new LlmException(
          LlmException.Kind.MALFORMED,
          "the model's answer is not the JSON asked for: " + excerpt(text));
    }
    JsonNode root;
    try {
      root = JSON.readTree(text.substring(start, end + 1));
    } catch (IOException e) {
      throw new LlmException(
          LlmException.Kind.MALFORMED, "the model's answer is not valid JSON: " + excerpt(text), e);
    }
    JsonNode items = root.path("hypotheses");
    if (!items.isArray()) {
      throw new LlmException(
          LlmException.Kind.MALFORMED,
          "the model's answer has no \"hypotheses\" list: " + excerpt(text));
    }
    List<CellOutput.Hypothesis> out = new ArrayList<>();
    for (JsonNode item : items) {
      String statement = item.path("statement").asText("").strip();
      if (statement.isEmpty()) {
        throw new LlmException(
            LlmException.Kind.MALFORMED,
            "a hypothesis in the model's answer has no statement: " + excerpt(item.toString()));
      }
      List<String> keys = new ArrayList<>();
      item.path("evidence_keys").forEach(k -> keys.add(k.asText()));
      String check = item.path("check_sql").asText("").strip();
      out.add(
          new CellOutput.Hypothesis(
              statement,
              item.path("evidence").asText(""),
              check.isEmpty() ? null : check,
              keys,
              null));
    }
    return out;
  }

  private static String excerpt(String text) {
    String one = text.replaceAll("\\s+", " ").strip();
    return one.length() > 160 ? one.substring(0, 160) + "..." : one;
  }
}
