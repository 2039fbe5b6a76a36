package dev.tracefix.server.kernel.java;

import java.util.List;

/**
 * The snippets every fresh snippet VM evaluates first: common imports and the {@code sql(...)}
 * and {@code result(...)} helpers, which call back to the {@link HostBridge}.
 */
final class SnippetHelpers {
  private SnippetHelpers() {}

  static final List<String> IMPORTS =
      List.of(
          "import java.util.*;",
          "import java.util.function.*;",
          "import java.util.stream.*;",
          "import java.math.*;",
          "import java.time.*;");

  static List<String> snippets(String baseUrl, String token) {
    String host =
        """
        final class TracefixHost {
          private static final String BASE = "%s";
          private static final String TOKEN = "%s";
          private static final java.net.http.HttpClient HTTP =
              java.net.http.HttpClient.newHttpClient();
          private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
              new com.fasterxml.jackson.databind.ObjectMapper();

          static java.util.List<java.util.Map<String, Object>> call(String path, String argument) {
            try {
              var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(BASE + path))
                  .header("%s", TOKEN)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(argument))
                  .build();
              var response = HTTP.send(request,
                  java.net.http.HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() != 200) {
                throw new IllegalStateException(path.substring(1) + " failed: " + response.body());
              }
              return JSON.readValue(response.body(),
                  new com.fasterxml.jackson.core.type.TypeReference<
                      java.util.List<java.util.Map<String, Object>>>() {});
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", e);
            }
          }
        }
        """
            .formatted(baseUrl, token, HostBridge.TOKEN_HEADER);
    return List.of(
        host,
        "List<Map<String, Object>> sql(String query) { return TracefixHost.call(\"/sql\", query); }",
        "List<Map<String, Object>> result(String name) { return TracefixHost.call(\"/result\","
            + " name); }");
  }
}
