package inventory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** Reserves stock for a cart. Bulk reservations (large carts) take the slow path. */
public final class InventoryServer implements AutoCloseable {
  static final int BULK_THRESHOLD_BYTES = 4096;
  static final long BULK_LATENCY_MS = 150;

  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(8);
  private final AtomicLong slowReservations = new AtomicLong();

  public InventoryServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.createContext("/reserve", this::reserve);
    server.createContext("/stats", this::stats);
    server.setExecutor(workers);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void reserve(HttpExchange exchange) throws IOException {
    int size;
    try (InputStream in = exchange.getRequestBody()) {
      size = in.readAllBytes().length;
    }
    if (size > BULK_THRESHOLD_BYTES) {
      slowReservations.incrementAndGet();
      pause(BULK_LATENCY_MS); // bulk reservations lock every line item
    }
    byte[] reply = ("reserved " + size + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, reply.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply);
    }
  }

  private void stats(HttpExchange exchange) throws IOException {
    byte[] reply =
        ("slow_reservations " + slowReservations.get() + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, reply.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  /** Usage: InventoryServer [PORT [PORT_FILE]]; port 0 picks a free port. */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    InventoryServer server = new InventoryServer(port);
    if (args.length > 1) {
      Files.writeString(Path.of(args[1]), server.port() + "\n");
    }
    System.out.println("inventory listening on 127.0.0.1:" + server.port());
  }
}
