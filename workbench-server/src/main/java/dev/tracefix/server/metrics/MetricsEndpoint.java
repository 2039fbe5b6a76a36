package dev.tracefix.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tracefix.capture.CaptureObserver;
import dev.tracefix.capture.LiveStats;
import dev.tracefix.server.ServerException;
import dev.tracefix.sink.CaptureWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves {@code GET /metrics} of a running capture in the Prometheus text format. It observes the
 * capture: the capture thread only swaps in its newest snapshot, and scrapes render that snapshot
 * on the server's own thread, so a slow scraper never slows the capture.
 *
 * <p>The JDK's HTTP server is enough for one read-only endpoint and keeps the capture path free of
 * the workbench's web stack.
 */
public final class MetricsEndpoint implements CaptureObserver, AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicReference<LiveStats> latest = new AtomicReference<>();
  private final AtomicReference<CaptureWriter.SpoolHealth> spool = new AtomicReference<>();

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code address} and starts serving; a busy port fails here, before any capture. */
  public static MetricsEndpoint start(MetricsAddress address) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
    } catch (BindException e) {
      throw new ServerException(
          ServerException.Kind.IO,
          "--metrics cannot listen on "
              + address.host()
              + ":"
              + address.port()
              + ": the port is in use (choose another, or 0 for a free one)",
          e);
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.IO,
          "--metrics cannot listen on " + address.host() + ":" + address.port() + ": " + e,
          e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("tracefix-metrics").daemon().unstarted(r));
    MetricsEndpoint endpoint = new MetricsEndpoint(server, executor);
    server.createContext("/metrics", endpoint::handle);
    server.setExecutor(executor);
    server.start();
    return endpoint;
  }

  /** The scrape URL, e.g. {@code http://127.0.0.1:9464/metrics}. */
  public URI url() {
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + bound.getPort() + "/metrics");
  }

  @Override
  public void onStats(LiveStats stats) {
    latest.set(stats);
  }

  /** The spool's health at the latest snapshot: a full disk shows while it lasts. */
  public void onSpool(CaptureWriter.SpoolHealth health) {
    spool.set(health);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = MetricsText.render(latest.get(), spool.get()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", MetricsText.CONTENT_TYPE);
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
