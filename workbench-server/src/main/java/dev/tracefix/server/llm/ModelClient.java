package dev.tracefix.server.llm;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One configured provider, reached only through LangChain4j's clients (OpenAI-compatible, Ollama,
 * Anthropic; blocking or streaming). Retries are off: a rate limit or a timeout is the cell's error
 * to show, not something to hammer the provider with. Provider failures come out as {@link
 * LlmException}s of the matching kind with the API key scrubbed.
 */
final class ModelClient {
  private final LlmSettings settings;
  private final ChatModel blocking;
  private final StreamingChatModel streaming;
  private RecordingHttpClient.Builder http;
  private volatile CompletableFuture<ChatResponse> streamed;

  private ModelClient(LlmSettings settings, ChatModel blocking, StreamingChatModel streaming) {
    this.settings = settings;
    this.blocking = blocking;
    this.streaming = streaming;
  }

  private ModelClient over(RecordingHttpClient.Builder http) {
    this.http = http;
    return this;
  }

  static ModelClient of(LlmSettings settings) {
    String key = settings.apiKey().present() ? settings.apiKey().reveal() : "none";
    Duration timeout = settings.timeout();
    RecordingHttpClient.Builder http = new RecordingHttpClient.Builder();
    http.connectTimeout(timeout).readTimeout(timeout);
    ModelClient client =
        switch (settings.provider()) {
          case OPENAI ->
              settings.stream()
                  ? new ModelClient(
                      settings,
                      null,
                      OpenAiStreamingChatModel.builder()
                          .httpClientBuilder(http)
                          .baseUrl(settings.baseUrl())
                          .apiKey(key)
                          .modelName(settings.model())
                          .timeout(timeout)
                          .logRequests(false)
                          .logResponses(false)
                          .build())
                  : new ModelClient(
                      settings,
                      OpenAiChatModel.builder()
                          .httpClientBuilder(http)
                          .baseUrl(settings.baseUrl())
                          .apiKey(key)
                          .modelName(settings.model())
                          .timeout(timeout)
                          .maxRetries(0)
                          .logRequests(false)
                          .logResponses(false)
                          .build(),
                      null);
          case OLLAMA ->
              settings.stream()
                  ? new ModelClient(
                      settings,
                      null,
                      OllamaStreamingChatModel.builder()
                          .httpClientBuilder(http)
                          .baseUrl(settings.baseUrl())
                          .modelName(settings.model())
                          .timeout(timeout)
                          .logRequests(false)
                          .logResponses(false)
                          .build())
                  : new ModelClient(
                      settings,
                      OllamaChatModel.builder()
                          .httpClientBuilder(http)
                          .baseUrl(settings.baseUrl())
                          .modelName(settings.model())
                          .timeout(timeout)
                          .maxRetries(0)
                          .logRequests(false)
                          .logResponses(false)
                          .build(),
                      null);
          case ANTHROPIC ->
              settings.stream()
                  ? new ModelClient(
                      settings,
                      null,
                      AnthropicStreamingChatModel.builder()
                          .httpClientBuilder(http)
                          .baseUrl(settings.baseUrl())
                          .apiKey(key)
                          .modelName(settings.model())
                          .timeout(timeout)
                          .maxTokens(4096)
                          .logRequests(false)
                          .logResponses(false)
                          .build())
                  : new ModelClient(
                      settings,
                      AnthropicChatModel.builder()
                          .httpClientBuilder(http)
                          .baseUrl(settings.baseUrl())
                          .apiKey(key)
                          .modelName(settings.model())
                          .timeout(timeout)
                          .maxTokens(4096)
                          .maxRetries(0)
                          .logRequests(false)
                          .logResponses(false)
                          .build(),
                      null);
          case NONE -> throw new LlmException(LlmException.Kind.CONFIG, "no model is configured");
        };
    return client.over(http);
  }

  /**
   * Ends the request in flight at once, from any thread: its connection is closed (the provider
   * sees it go) and the waiting {@link #chat} returns with an error. The client is unusable after.
   */
  void abort() {
    CompletableFuture<ChatResponse> waiting = streamed;
    if (waiting != null) {
      waiting.completeExceptionally(new java.util.concurrent.CancellationException("aborted"));
    }
    RecordingHttpClient client = http == null ? null : http.built();
    if (client != null) {
      client.abort();
    }
  }

  LlmSettings settings() {
    return settings;
  }

  /** Sends one request (already cleared by the gateway) and waits for the whole answer. */
  ChatResponse chat(ChatRequest request) {
    try {
      return blocking != null ? blocking.chat(request) : stream(request);
    } catch (LlmException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e);
    }
  }

  private ChatResponse stream(ChatRequest request) {
    CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
    streamed = answer;
    streaming.chat(
        request,
        new StreamingChatResponseHandler() {
          @Override
          public void onCompleteResponse(ChatResponse response) {
            answer.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            answer.completeExceptionally(error);
          }
        });
    try {
      return answer.get(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new LlmException(
          LlmException.Kind.TIMEOUT,
          "the model did not finish its answer within " + settings.timeout().toSeconds() + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException(
          LlmException.Kind.FAILED, "interrupted while waiting for the model", e);
    } catch (java.util.concurrent.CancellationException e) {
      throw new LlmException(
          LlmException.Kind.CANCELLED, "stopped on request while the model answered", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.util.concurrent.CancellationException) {
        throw new LlmException(
            LlmException.Kind.CANCELLED, "stopped on request while the model answered", e);
      }
      throw cause instanceof RuntimeException r
          ? translate(r)
          : translate(new RuntimeException(cause));
    }
  }

  /** A provider failure as the cell will show it; the key never survives into the message. */
  LlmException translate(RuntimeException e) {
    String provider = settings.provider().word() + " at " + settings.baseUrl();
    String detail = settings.apiKey().scrub(firstLine(e));
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return new LlmException(
            LlmException.Kind.FAILED,
            "cannot reach " + provider + " (connection refused): is the server running?");
      }
    }
    if (isTimeout(e)) {
      return new LlmException(
          LlmException.Kind.TIMEOUT,
          provider + " did not answer within " + settings.timeout().toSeconds() + " s");
    }
    if (e instanceof RateLimitException || statusOf(e) == 429) {
      return new LlmException(
          LlmException.Kind.RATE_LIMITED,
          provider + " is rate limiting requests (HTTP 429); try again later: " + detail);
    }
    if (e instanceof AuthenticationException
        || e instanceof ContentFilteredException
        || e instanceof InvalidRequestException
        || e instanceof ModelNotFoundException
        || (statusOf(e) >= 400 && statusOf(e) < 500)) {
      return new LlmException(
          LlmException.Kind.REFUSED,
          provider
              + " refused the request"
              + (statusOf(e) > 0 ? " (HTTP " + statusOf(e) + ")" : "")
              + ": "
              + detail);
    }
    return new LlmException(
        LlmException.Kind.FAILED, "request to " + provider + " failed: " + detail);
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof dev.langchain4j.exception.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static int statusOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException h) {
        return h.statusCode();
      }
    }
    return -1;
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String line = m.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
