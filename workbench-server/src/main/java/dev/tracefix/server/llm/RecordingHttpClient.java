package dev.tracefix.server.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpClient.Version;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP client every provider client is built with: LangChain4j's own (JDK) client, with each
 * request's body hashed and sized into the current {@link Exchange} just before it goes out, and
 * the response sized as it comes in. A request made outside an exchange is refused: that would be a
 * path around the privacy gateway. {@link #abort} ends every request of this client at once (the
 * JDK client's {@code shutdownNow}): how a stopped cell cancels a model request that is still
 * waiting for, or streaming, its answer.
 */
final class RecordingHttpClient implements HttpClient {
  private final HttpClient delegate;
  private final java.net.http.HttpClient jdk;

  private RecordingHttpClient(HttpClient delegate, java.net.http.HttpClient jdk) {
    this.delegate = delegate;
    this.jdk = jdk;
  }

  /** Fails whatever this client is sending or receiving now (IOException), and anything later. */
  void abort() {
    if (jdk != null) {
      jdk.shutdownNow();
    }
  }

  private static Exchange exchange() {
    Exchange e = Exchange.current();
    if (e == null) {
      throw new LlmException(
          LlmException.Kind.BLOCKED,
          "a request to the model did not pass the privacy gateway; not sent");
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
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
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

  /**
   * Builds LangChain4j's JDK client, wrapped, keeping the JDK client it built for {@link #abort}.
   */
  static final class Builder implements HttpClientBuilder {
    private final AtomicReference<java.net.http.HttpClient> built = new AtomicReference<>();
    private final JdkHttpClientBuilder delegate =
        JdkHttpClient.builder()
            .httpClientBuilder(new Keeping(java.net.http.HttpClient.newBuilder(), built));
    private RecordingHttpClient last;

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
      HttpClient client = delegate.build();
      last = new RecordingHttpClient(client, built.get());
      return last;
    }

    /** The client this builder built last (the provider's), or null before it built one. */
    RecordingHttpClient built() {
      return last;
    }
  }

  /** A JDK client builder that remembers the client it builds; every setting goes to the JDK's. */
  private record Keeping(
      java.net.http.HttpClient.Builder b, AtomicReference<java.net.http.HttpClient> built)
      implements java.net.http.HttpClient.Builder {
    @Override
    public java.net.http.HttpClient.Builder cookieHandler(CookieHandler h) {
      b.cookieHandler(h);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder connectTimeout(Duration d) {
      b.connectTimeout(d);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder sslContext(SSLContext c) {
      b.sslContext(c);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder sslParameters(SSLParameters p) {
      b.sslParameters(p);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder executor(Executor e) {
      b.executor(e);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder followRedirects(Redirect r) {
      b.followRedirects(r);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder version(Version v) {
      b.version(v);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder priority(int p) {
      b.priority(p);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder proxy(ProxySelector p) {
      b.proxy(p);
      return this;
    }

    @Override
    public java.net.http.HttpClient.Builder authenticator(Authenticator a) {
      b.authenticator(a);
      return this;
    }

    @Override
    public java.net.http.HttpClient build() {
      java.net.http.HttpClient client = b.build();
      built.set(client);
      return client;
    }
  }
}
