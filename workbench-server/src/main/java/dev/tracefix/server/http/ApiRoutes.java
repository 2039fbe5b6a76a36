package dev.tracefix.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Registers the API's routes and keeps, for each, what it takes and returns, so the OpenAPI
 * document ({@link OpenApiDocument}) is written from the same declarations the router runs: a route
 * cannot be served undocumented, or documented and not served.
 */
final class ApiRoutes {
  /**
   * One documented route.
   *
   * @param body the JSON request body's type, or null for none
   * @param response the JSON response's type, or null when {@code mediaType} is not JSON
   * @param mediaType what the route answers with
   */
  record Route(
      String method, String path, String summary, Type body, Type response, String mediaType) {}

  static final String JSON = "application/json";

  private final RoutesConfig routes;
  private final List<Route> documented = new ArrayList<>();

  ApiRoutes(RoutesConfig routes) {
    this.routes = routes;
  }

  void get(String path, String summary, Type response, Handler handler) {
    documented.add(new Route("GET", path, summary, null, response, JSON));
    routes.get(path, handler);
  }

  /** A GET answered with {@code mediaType} (text, HTML, a diff) rather than JSON. */
  void getText(String path, String summary, String mediaType, Handler handler) {
    documented.add(new Route("GET", path, summary, null, null, mediaType));
    routes.get(path, handler);
  }

  void post(String path, String summary, Type body, Type response, Handler handler) {
    documented.add(new Route("POST", path, summary, body, response, JSON));
    routes.post(path, handler);
  }

  void put(String path, String summary, Type body, Type response, Handler handler) {
    documented.add(new Route("PUT", path, summary, body, response, JSON));
    routes.put(path, handler);
  }

  void delete(String path, String summary, Type response, Handler handler) {
    documented.add(new Route("DELETE", path, summary, null, response, JSON));
    routes.delete(path, handler);
  }

  void sse(String path, String summary, Consumer<SseClient> client) {
    documented.add(new Route("GET", path, summary, null, null, "text/event-stream"));
    routes.sse(path, client);
  }

  List<Route> documented() {
    return List.copyOf(documented);
  }

  /** {@code List<element>}, for response types. */
  static Type listOf(Type element) {
    return parameterized(List.class, element);
  }

  /** {@code Map<String, value>}, for response types. */
  static Type mapOf(Type value) {
    return parameterized(java.util.Map.class, String.class, value);
  }

  private static Type parameterized(Class<?> raw, Type... arguments) {
    return new ParameterizedType() {
      @Override
      public Type[] getActualTypeArguments() {
        return arguments.clone();
      }

      @Override
      public Type getRawType() {
        return raw;
      }

      @Override
      public Type getOwnerType() {
        return null;
      }
    };
  }
}
