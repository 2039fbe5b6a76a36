package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed OpenAPI document is the one the routes' Java types give, every route the router
 * serves is in it, and the browser client calls no route it lacks. After changing a route or a
 * response type, regenerate it with {@code -Dtracefix.openapi.write=true} on this test.
 */
class OpenApiDocumentTest {
  private static final Path COMMITTED = Path.of("src/main/resources/openapi.json");
  private static final Path WEB_SOURCES = Path.of("..", "web", "src");

  @TempDir Path dir;
  private WorkbenchFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = new WorkbenchFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  @Test
  void theCommittedDocumentIsTheOneTheRoutesGive() throws Exception {
    String generated = OpenApiDocument.of(fixture.server.apiRoutes());
    if (Boolean.getBoolean("tracefix.openapi.write")) {
      Files.writeString(COMMITTED, generated);
    }
    assertEquals(
        generated,
        Files.readString(COMMITTED),
        "openapi.json is stale: rerun this test with -Dtracefix.openapi.write=true and commit it");
    JsonNode doc = new ObjectMapper().readTree(generated);
    assertEquals("3.1.0", doc.path("openapi").asText());
    assertTrue(doc.at("/components/schemas/CellOutput/discriminator/mapping").has("table"));
  }

  @Test
  void everyServedRouteIsDocumentedAndEveryDocumentedRouteServed() {
    Set<String> served = new TreeSet<>(fixture.server.routes());
    Set<String> documented =
        fixture.server.apiRoutes().stream()
            .map(r -> r.method() + " " + r.path())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(served, documented);
  }

  @Test
  void theBrowserClientCallsOnlyDocumentedRoutes() throws Exception {
    Set<String> documented =
        fixture.server.apiRoutes().stream()
            .map(r -> r.path().replaceAll("\\{[A-Za-z_]+}", "{}"))
            .collect(Collectors.toSet());
    List<String> called = clientPaths();
    assertTrue(called.size() >= 6, "the scan found the client's calls: " + called);
    List<String> missing = called.stream().filter(p -> !documented.contains(p)).toList();
    assertEquals(List.of(), missing, "documented: " + documented);
  }

  /**
   * Every /api path the web client names: its typed routes ("GET /api/notebooks/{name}", checked
   * against the generated types by the build too) and any plain "/api/..." literal or template,
   * parameters as {}. The generated file itself is left out: it is the document, not a caller.
   */
  private static List<String> clientPaths() throws Exception {
    Pattern literal =
        Pattern.compile("\"(?:GET|POST|PUT|DELETE) (/api/[^\"]*)\"|\"(/api/[^\"]*)\"|`([^`]*)`");
    List<String> paths = new ArrayList<>();
    try (Stream<Path> files = Files.walk(WEB_SOURCES)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".ts"))
              .filter(f -> !f.toString().contains("generated"))
              .toList()) {
        Matcher m = literal.matcher(Files.readString(file));
        while (m.find()) {
          String text =
              m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
          text =
              text.replace("${nb(name)}", "/api/notebooks/{}")
                  .replaceAll("\\$\\{[^}]*}", "{}")
                  .replaceAll("\\{[A-Za-z_]+}", "{}");
          int query = text.indexOf('?');
          text = query < 0 ? text : text.substring(0, query);
          if (text.startsWith("/api/")) {
            paths.add(text);
          }
        }
      }
    }
    return paths;
  }

  @Test
  void theDocumentIsServedToTokenHolders() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(fixture.base() + "/api/openapi.json"))
                    .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals(OpenApiDocument.of(fixture.server.apiRoutes()), r.body());
  }
}
