package dev.tracefix.server.llm;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.tracefix.fixloop.Cancellation;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A model that can only be reached through the privacy gateway: each request is cleared (redacted
 * or blocked), then sent inside an {@link Exchange} so the HTTP client records the bytes as sent,
 * and every outcome — sent, blocked, failed, stopped — becomes an {@code llm_audit} row. A stop
 * ({@link Cancellation}) aborts the request in flight: a model that stalls never holds a cell.
 */
final class GatedModel {
  private final ModelClient client;
  private final PrivacyGateway gateway;
  private final LlmAudit audit;
  private final Cancellation stop;
  private int sent;

  GatedModel(ModelClient client, PrivacyGateway gateway, LlmAudit audit, Cancellation stop) {
    this.client = client;
    this.gateway = gateway;
    this.audit = audit;
    this.stop = stop;
  }

  /** Throws CANCELLED once someone stopped the cell. */
  void checkStopped() {
    if (stop.isCancelled()) {
      throw stopped(null);
    }
  }

  private static LlmException stopped(Throwable cause) {
    return new LlmException(
        LlmException.Kind.CANCELLED,
        "cell interrupted: the request to the model was stopped",
        cause);
  }

  record Answer(ChatResponse response, PrivacyGateway.Cleared cleared) {}

  LlmSettings settings() {
    return client.settings();
  }

  PrivacyGateway gateway() {
    return gateway;
  }

  /** Requests that reached the provider through this model. */
  int sent() {
    return sent;
  }

  /**
   * Clears and sends {@code raw}; {@code held} are reasons found earlier that block it.
   *
   * @throws LlmException BLOCKED when the gateway keeps it back (nothing is sent), or the kind of
   *     the provider's failure
   */
  Answer send(ChatRequest raw, List<String> held, String purpose) {
    checkStopped();
    LlmSettings s = client.settings();
    PrivacyGateway.Cleared cleared = gateway.clear(raw, held);
    Instant at = Instant.now();
    if (!cleared.sendable()) {
      audit.record(
          new LlmAudit.Entry(
              at,
              s.provider().word(),
              s.model(),
              purpose,
              null,
              cleared.textBytes(),
              cleared.hits(),
              "blocked",
              0,
              0,
              "blocked"));
      throw new LlmException(
          LlmException.Kind.BLOCKED,
          "the privacy gateway blocked the request to the model (nothing was sent): "
              + String.join("; ", cleared.blocked()));
    }
    long started = System.nanoTime();
    try (Exchange exchange = Exchange.open();
        Cancellation.Registration abort = stop.onCancel(client::abort)) {
      try {
        ChatResponse response = client.chat(cleared.request());
        sent++;
        audit.record(entry(at, purpose, cleared, exchange, started, "ok"));
        return new Answer(response, cleared);
      } catch (LlmException e) {
        if (exchange.sentSha256() != null) {
          sent++;
        }
        // An aborted request fails as an I/O error; the stop is the reason, so it is the outcome.
        LlmException why = stop.isCancelled() ? stopped(e) : e;
        audit.record(
            entry(
                at,
                purpose,
                cleared,
                exchange,
                started,
                why.kind().name().toLowerCase(Locale.ROOT)));
        throw why;
      }
    }
  }

  private LlmAudit.Entry entry(
      Instant at,
      String purpose,
      PrivacyGateway.Cleared cleared,
      Exchange exchange,
      long started,
      String outcome) {
    LlmSettings s = client.settings();
    return new LlmAudit.Entry(
        at,
        s.provider().word(),
        s.model(),
        purpose,
        exchange.sentSha256(),
        Math.max(exchange.sentBytes(), 0),
        cleared.hits(),
        cleared.decision(),
        exchange.receivedBytes(),
        (System.nanoTime() - started) / 1_000_000,
        outcome);
  }
}
