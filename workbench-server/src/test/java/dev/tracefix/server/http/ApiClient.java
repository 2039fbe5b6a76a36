package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The API as a test drives it over loopback, with the fixture's token. Every request has a timeout:
 * a liveness bound, so a route stuck behind a cell fails the test instead of hanging it.
 */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIVENESS = Duration.ofSeconds(30);

  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  ApiClient(WorkbenchFixture fixture) {
    this.base = fixture.base();
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN);
  }

  HttpResponse<String> get(String path) {
    return send(request(path, LIVENESS).build());
  }

  /** GETs {@code path} into the file {@code to}; the answer whatever its status. */
  HttpResponse<java.nio.file.Path> download(String path, java.nio.file.Path to) {
    try {
      return http.send(request(path, LIVENESS).build(), HttpResponse.BodyHandlers.ofFile(to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> post(String path) {
    return send(request(path, LIVENESS).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /** A POST with a JSON body; the answer whatever its status. */
  HttpResponse<String> post(String path, String json) {
    return send(
        request(path, LIVENESS)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** A POST that may take long (a cell run): answered within {@code timeout} or failed. */
  CompletableFuture<HttpResponse<String>> postAsync(String path, Duration timeout) {
    return http.sendAsync(
        request(path, timeout).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Runs a cell and returns its output. */
  JsonNode run(String notebook, String cell) {
    return json(post("/api/notebooks/" + notebook + "/cells/" + cell + "/run"));
  }

  /** GETs {@code path}, asserts 200, returns how long the answer took in milliseconds. */
  long timedGet(String path) {
    long start = System.nanoTime();
    HttpResponse<String> response = get(path);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return ms;
  }

  static JsonNode json(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
