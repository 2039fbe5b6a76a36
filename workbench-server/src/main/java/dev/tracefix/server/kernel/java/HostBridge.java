package dev.tracefix.server.kernel.java;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The loopback channel through which snippets reach the notebook's data. Snippets run in a
 * separate JVM (so a runaway or exiting snippet cannot harm the server), and a JDBC connection
 * cannot cross a process boundary; instead the snippet VM posts a query (or a result name) to
 * this server on 127.0.0.1 and receives rows as JSON. A random per-kernel token guards the port
 * against other local processes.
 */
final class HostBridge implements AutoCloseable {
  static final String TOKEN_HEADER = "X-Tracefix-Token";

  private final HttpServer server;
  private final ExecutorService executor;
  private final String token;
  private final ObjectMapper json = new ObjectMapper();

  HostBridge(HostData data) throws IOException {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    this.token = HexFormat.of().formatHex(secret);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tracefix-java-bridge");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/sql", exchange -> handle(exchange, data::sql));
    server.createContext("/result", exchange -> handle(exchange, data::result));
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  String token() {
    return token;
  }

  private interface Lookup {
    Object apply(String argument) throws Exception;
  }

  private void handle(HttpExchange exchange, Lookup lookup) throws IOException {
    try (exchange) {
      String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
      if (given == null
          || !MessageDigest.isEqual(
              given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
        reply(exchange, 403, "bad token".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String argument;
      try (InputStream in = exchange.getRequestBody()) {
        argument = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      try {
        reply(exchange, 200, json.writeValueAsBytes(lookup.apply(argument)));
      } catch (Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        reply(exchange, 400, message.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
