package dev.tracefix.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.capture.LiveCaptureStatus;
import dev.tracefix.server.run.ProgressListener;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streams the progress lines of running cells to every open page as server-sent events on {@code
 * GET /api/events} (event {@code progress}, data {@code {notebook, cellId, line}}). A run is still
 * a plain blocking POST; this only lets the page show what a long cell is doing.
 */
final class ProgressEvents implements ProgressListener {
  record Progress(String notebook, String cellId, String line) {}

  /** The comment every new subscriber gets first, once it is registered. */
  static final String HELLO = "connected";

  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  private final ObjectMapper json;

  ProgressEvents(ObjectMapper json) {
    this.json = json;
  }

  void register(ApiRoutes api) {
    api.sse(
        "/api/events",
        "server-sent events: 'progress' with {notebook, cellId, line} while cells run;"
            + " 'capture' with a live capture's status about once a second while it runs",
        this::subscribe);
  }

  private void subscribe(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    // Registered first so no line is missed; the greeting then takes the same per-stream lock
    // as progress lines, since Jetty refuses two writes to one response at once.
    synchronized (client) {
      clients.add(client);
      client.sendComment(HELLO);
    }
  }

  @Override
  public void progress(String notebook, String cellId, String line) {
    send("progress", new Progress(notebook, cellId, line));
  }

  /** A live capture's status, as {@code GET /api/captures/{id}} answers it. */
  void capture(LiveCaptureStatus status) {
    send("capture", status);
  }

  private void send(String event, Object message) {
    String data;
    try {
      data = json.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(event + " event could not be encoded", e);
    }
    for (SseClient client : clients) {
      if (client.terminated()) {
        clients.remove(client);
        continue;
      }
      // One writer at a time per stream: cells of different notebooks may report at once.
      synchronized (client) {
        client.sendEvent(event, data);
      }
    }
  }
}
