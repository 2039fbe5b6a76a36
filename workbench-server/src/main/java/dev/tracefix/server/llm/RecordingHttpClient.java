package dev.tracefix.server.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP client every provider client is built with: LangChain4j's own (JDK) client, with each
 * request's body hashed and sized into the current {@link Exchange} just before it goes out, and
 * the response sized as it comes in. A request made outside an exchange is refused: that would be
 * a path around the privacy gateway.
 */
final class RecordingHttpClient implements HttpClient {
  private final HttpClient delegate;

  private RecordingHttpClient(HttpClient delegate) {
    this.delegate = delegate;
  }

  private static Exchange exchange() {
    Exchange e = Exchange.current();
    if (e == null) {
      throw new LlmException(
          LlmException.Kind.BLOCKED, "a request to the model did not pass the privacy gateway; not sent");
    }
    return e;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    Exchange e = exchange();
    e.sent(request.body());
    SuccessfulHttpResponse response = delegate.execute(request);
    String body = response.body();
    e.received(body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length);
    return response;
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    Exchange e = exchange();
    e.sent(request.body());
    delegate.execute(
        request,
        parser,
        new ServerSentEventListener() {
          @Override
          public void onOpen(SuccessfulHttpResponse response) {
            listener.onOpen(response);
          }

          @Override
          public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            count(event);
            listener.onEvent(event, context);
          }

          @Override
          public void onEvent(ServerSentEvent event) {
            count(event);
            listener.onEvent(event);
          }

          private void count(ServerSentEvent event) {
            String data = event.data();
            e.received(data == null ? 0 : data.getBytes(StandardCharsets.UTF_8).length);
          }

          @Override
          public void onError(Throwable t) {
            listener.onError(t);
          }

          @Override
          public void onClose() {
            listener.onClose();
          }
        });
  }

  /** Builds the JDK client LangChain4j would use, wrapped. */
  static final class Builder implements HttpClientBuilder {
    private final HttpClientBuilder delegate = HttpClientBuilderLoader.loadHttpClientBuilder();

    @Override
    public Duration connectTimeout() {
      return delegate.connectTimeout();
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      delegate.connectTimeout(timeout);
      return this;
    }

    @Override
    public Duration readTimeout() {
      return delegate.readTimeout();
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      delegate.readTimeout(timeout);
      return this;
    }

    @Override
    public HttpClient build() {
      return new RecordingHttpClient(delegate.build());
    }
  }
}
