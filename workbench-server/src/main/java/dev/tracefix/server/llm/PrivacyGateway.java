package dev.tracefix.server.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.policy.Action;
import dev.tracefix.capture.privacy.policy.FieldRule;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.recognize.Finding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one door out to a model. Every request — the prompt, tool results, repository snippets, a
 * culprit's diff — passes {@link #clear}: every message's text goes through capture's recognizers
 * ({@link TextRedactor}, the same as events, exports and reports), so each recognized value leaves
 * as a keyed placeholder like {@code <EMAIL:3f9a1c2b>}; a value of a type the settings list under
 * {@code block}, or rows carrying a field the privacy policy drops ({@link #policyRefusal}), stop
 * the request instead: it is never sent. Content that is not text (images, files) is blocked too.
 */
public final class PrivacyGateway {
  private final TextRedactor redactor;
  private final Policy policy;
  private final Set<String> blockTypes;

  /**
   * A request as it may leave, or why it may not.
   *
   * @param request the redacted request (null when blocked)
   * @param hits recognizer hits replaced in it, by type
   * @param blocked why it is not sent; empty when it may be
   * @param textBytes UTF-8 size of the message texts after redaction (what a blocked request would
   *     have carried, for the audit; never its text)
   * @param textSha256 SHA-256 of those texts: the prompt hash a rerun compares against
   */
  public record Cleared(
      ChatRequest request,
      Map<String, Long> hits,
      List<String> blocked,
      long textBytes,
      String textSha256) {
    public boolean sendable() {
      return blocked.isEmpty();
    }

    public String decision() {
      return !blocked.isEmpty() ? "blocked" : hits.isEmpty() ? "sent" : "redacted";
    }
  }

  public PrivacyGateway(TextRedactor redactor, Policy policy, Set<String> blockTypes) {
    this.redactor = redactor;
    this.policy = policy;
    this.blockTypes = Set.copyOf(blockTypes);
  }

  public String keyId() {
    return redactor.keyId();
  }

  public String policyHash() {
    return policy.hash();
  }

  /**
   * Redacts every message of {@code raw}; {@code held} are reasons found earlier (e.g. by {@link
   * #policyRefusal} on a tool's rows) that block this request whatever its text.
   */
  public Cleared clear(ChatRequest raw, List<String> held) {
    Map<String, Long> hits = new TreeMap<>();
    List<String> blocked = new ArrayList<>(held);
    List<ChatMessage> out = new ArrayList<>();
    StringBuilder texts = new StringBuilder();
    for (ChatMessage m : raw.messages()) {
      ChatMessage cleared =
          switch (m) {
            case SystemMessage s -> SystemMessage.from(text(s.text(), hits, texts));
            case UserMessage u -> {
              List<Content> contents = new ArrayList<>();
              for (Content c : u.contents()) {
                if (c instanceof TextContent t) {
                  contents.add(TextContent.from(text(t.text(), hits, texts)));
                } else {
                  blocked.add(
                      "a "
                          + c.type().name().toLowerCase(Locale.ROOT)
                          + " part (only text may go to a model)");
                }
              }
              yield UserMessage.from(contents);
            }
            case AiMessage a -> {
              List<ToolExecutionRequest> calls = new ArrayList<>();
              for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                calls.add(r.toBuilder().arguments(text(r.arguments(), hits, texts)).build());
              }
              String text = a.text() == null ? null : text(a.text(), hits, texts);
              yield calls.isEmpty()
                  ? AiMessage.from(text == null ? "" : text)
                  : text == null || text.isEmpty()
                      ? AiMessage.from(calls)
                      : AiMessage.from(text, calls);
            }
            case ToolExecutionResultMessage t ->
                ToolExecutionResultMessage.from(t.id(), t.toolName(), text(t.text(), hits, texts));
            default -> {
              blocked.add("a " + m.type() + " message (only text messages may go to a model)");
              yield m;
            }
          };
      out.add(cleared);
    }
    for (String type : hits.keySet()) {
      if (blockTypes.contains(type)) {
        blocked.add(hits.get(type) + " " + type + " value(s) (the settings block this type)");
      }
    }
    byte[] bytes = texts.toString().getBytes(StandardCharsets.UTF_8);
    ChatRequest request =
        blocked.isEmpty()
            ? ChatRequest.builder().messages(out).parameters(raw.parameters()).build()
            : null;
    return new Cleared(
        request, Map.copyOf(hits), List.copyOf(blocked), bytes.length, Exchange.sha256(bytes));
  }

  /** A piece of text as it may leave: recognized values replaced, hits counted. */
  public String text(String text, Map<String, Long> hits) {
    return text(text, hits, new StringBuilder());
  }

  private String text(String text, Map<String, Long> hits, StringBuilder all) {
    if (text == null) {
      return null;
    }
    // A text ends a line where it ends: rules that want a value alone at a line end (a key file's
    // 64 hex digits) must see the last line of a snippet or a tool result as one.
    String line = text + "\n";
    for (Finding f : redactor.findings(line)) {
      hits.merge(f.type(), 1L, Long::sum);
    }
    String redacted = redactor.redact(line);
    redacted = redacted.substring(0, redacted.length() - 1);
    all.append(redacted).append('\n');
    return redacted;
  }

  /**
   * Why rows may not go to a model: a column named like a field the privacy policy drops (for the
   * row's {@code type} where the rows have that column, else where the policy drops it for every
   * type) holding a value. Rows from the event store never do, since capture dropped those fields;
   * rows of other tables might. Empty when they may go (their text still passes {@link #clear}).
   */
  public Optional<String> policyRefusal(List<String> columns, List<List<Object>> rows) {
    int typeColumn = columns.indexOf("type");
    for (int c = 0; c < columns.size(); c++) {
      String field = columns.get(c).toLowerCase(Locale.ROOT);
      for (List<Object> row : rows) {
        Object value = row.get(c);
        if (value == null) {
          continue;
        }
        Optional<String> type =
            typeColumn >= 0 && row.get(typeColumn) != null
                ? Optional.of(row.get(typeColumn).toString())
                : Optional.empty();
        if (drops(type, field, columns, row)) {
          return Optional.of(
              "column '"
                  + columns.get(c)
                  + "' holds values the privacy policy "
                  + policy.name()
                  + " drops ("
                  + policy.source()
                  + ")");
        }
      }
    }
    return Optional.empty();
  }

  private boolean drops(
      Optional<String> type, String field, List<String> columns, List<Object> row) {
    if (type.isPresent()) {
      Optional<FieldRule> rule = policy.rule(type.get(), field);
      if (rule.isEmpty()) {
        return false; // not a policy field of this type: only the recognizers apply
      }
      Map<String, Object> event = new HashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        if (row.get(i) != null) {
          Object v = row.get(i);
          event.put(columns.get(i).toLowerCase(Locale.ROOT), v instanceof Integer n ? (long) n : v);
        }
      }
      FieldRule r = rule.get();
      Action action =
          r.when().map(w -> w.test(event) ? r.action() : r.otherwise()).orElse(r.action());
      return action instanceof Action.Drop;
    }
    Optional<FieldRule> any = policy.rule(Policy.ANY_TYPE, field);
    if (any.isEmpty()) {
      any = Optional.ofNullable(policy.rules().getOrDefault(Policy.ANY_TYPE, Map.of()).get(field));
    }
    return any.isPresent()
        && any.get().when().isEmpty()
        && any.get().action() instanceof Action.Drop;
  }
}
