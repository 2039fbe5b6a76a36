package dev.tracefix.server.llm;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.HmacKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code tracefix llm check}: says what is configured and makes one tiny request through the
 * privacy gateway (audited like any other), so a wrong URL, model or key shows before a notebook
 * needs the model. Never prints the key.
 */
public final class LlmCheck {
  /** What to print, and whether the provider answered. */
  public record Result(List<String> lines, boolean ok) {}

  private LlmCheck() {}

  public static Result run(
      Path notebookDir, Map<String, String> env, AuditStore audit, Supplier<HmacKey> key) {
    List<String> lines = new ArrayList<>();
    LlmSettings settings;
    try {
      settings = LlmSettings.load(notebookDir, env);
    } catch (LlmException e) {
      lines.add("configuration: " + e.getMessage());
      return new Result(lines, false);
    }
    lines.add(settings.describe());
    if (!settings.configured()) {
      return new Result(lines, true);
    }
    try {
      PrivacyGateway gateway =
          new PrivacyGateway(
              TextRedactor.withKey(key.get()), PolicyLoader.loadDefault(), settings.blockTypes());
      LlmAudit log = audit == null ? new LlmAudit((Connection) null) : new LlmAudit(audit);
      GatedModel model =
          new GatedModel(
              ModelClient.of(settings), gateway, log, new dev.tracefix.fixloop.Cancellation());
      GatedModel.Answer answer =
          model.send(
              ChatRequest.builder()
                  .messages(UserMessage.from("Reply with the single word: ok"))
                  .build(),
              List.of(),
              "check");
      LlmAudit.Entry e = log.entries().getLast();
      String text =
          answer.response().aiMessage() == null
              ? ""
              : String.valueOf(answer.response().aiMessage().text());
      text = settings.apiKey().scrub(text.strip());
      lines.add(
          "request sent: %d bytes, sha256 %s; answer %d bytes in %d ms: %s"
              .formatted(
                  e.requestBytes(),
                  e.requestSha256(),
                  e.responseBytes(),
                  e.latencyMs(),
                  text.length() > 60 ? text.substring(0, 60) + "..." : text));
      lines.add(
          audit == null
              ? "(not recorded in llm_audit: no event store given)"
              : "recorded in llm_audit (" + audit.file() + ")");
      return new Result(lines, true);
    } catch (LlmException e) {
      lines.add(e.errorKind() + ": " + settings.apiKey().scrub(e.getMessage()));
      return new Result(lines, false);
    }
  }
}
