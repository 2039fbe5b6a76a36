package dev.tracefix.server.kernel.java;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tracefix.server.message.CellOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The loopback channel through which snippets reach the notebook's data. Snippets run in a separate
 * JVM (so a runaway or exiting snippet cannot harm the server), and a JDBC connection cannot cross
 * a process boundary; instead the snippet VM posts a query (or a result name) to this server on
 * 127.0.0.1 and receives a page of rows as JSON ({@link HostTable}), then asks for more pages as it
 * reads. A random per-kernel token guards the port against other local processes. A request body
 * over {@link #MAX_REQUEST_BYTES} is refused unread, so a snippet cannot make the server hold a
 * huge query text either.
 */
final class HostBridge implements AutoCloseable {
  static final String TOKEN_HEADER = "X-Tracefix-Token";
  static final int MAX_REQUEST_BYTES = 1 << 20;

  private final HttpServer server;
  private final ExecutorService executor;
  private final String token;
  private final ObjectMapper json = new ObjectMapper();

  private final Consumer<String> notes;

  /**
   * @param notes receives what replies say the cell's output should mention (a cut at a cap)
   * @param shown receives the table a snippet's {@code show(...)} makes the cell's output
   */
  HostBridge(HostData data, Consumer<String> notes, Consumer<CellOutput.Table> shown)
      throws IOException {
    this.notes = notes;
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
    server.createContext("/page", exchange -> handle(exchange, HostBridge.paging(data)));
    server.createContext(
        "/show",
        exchange ->
            handle(
                exchange,
                argument -> {
                  shown.accept(showing(data, argument));
                  return Map.of("shown", true);
                }));
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

  /** The rows a snippet shows in one request; more are counted, not sent. */
  static final int SHOWN_ROWS = 200;

  /**
   * {@code /show}'s body: {@code handle} and a table the host keeps, or {@code rows} and JSON of
   * {@code columns}, at most {@link #SHOWN_ROWS} {@code rows} and {@code totalRows}.
   */
  private CellOutput.Table showing(HostData data, String argument) throws Exception {
    int newline = argument.indexOf('\n');
    String kind = newline < 0 ? argument : argument.substring(0, newline);
    String rest = newline < 0 ? "" : argument.substring(newline + 1);
    return switch (kind) {
      case "handle" -> data.show(rest.strip());
      case "rows" -> {
        Shown shown = json.readValue(rest, Shown.class);
        if (shown.rows().size() > SHOWN_ROWS) {
          throw new IllegalArgumentException("show sends at most " + SHOWN_ROWS + " rows");
        }
        yield new CellOutput.Table(shown.columns(), shown.rows(), shown.totalRows());
      }
      default -> throw new IllegalArgumentException("show takes a table handle or rows");
    };
  }

  /** What {@code show(List<Map<...>>)} sends. */
  private record Shown(List<String> columns, List<List<Object>> rows, long totalRows) {}

  /** {@code /page}'s body: the handle, the offset and the limit, one per line. */
  private static Lookup paging(HostData data) {
    return argument -> {
      String[] lines = argument.split("\n");
      if (lines.length != 3) {
        throw new IllegalArgumentException("a page request is: handle, offset, limit");
      }
      return data.page(lines[0], Long.parseLong(lines[1]), Integer.parseInt(lines[2]));
    };
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
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
          reply(
              exchange,
              413,
              ("the query is longer than " + MAX_REQUEST_BYTES + " bytes")
                  .getBytes(StandardCharsets.UTF_8));
          return;
        }
        argument = new String(body, StandardCharsets.UTF_8);
      }
      try {
        Object answer = lookup.apply(argument);
        if (answer instanceof HostTable table && table.note() != null) {
          notes.accept(table.note());
        }
        reply(exchange, 200, json.writeValueAsBytes(answer));
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
