package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/metrics}: the server's heap, sessions, running cells and snippet VMs. */
class MetricsRouteTest {
  @TempDir Path dir;
  private WorkbenchFixture fixture;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
    fixture = new WorkbenchFixture(dir);
    Files.writeString(fixture.notebooksDir.resolve("j.md"), "# J\n\n```java id=one\n1\n```\n");
    api = new ApiClient(fixture);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private static long value(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(metrics);
    assertTrue(m.find(), name + " missing in:\n" + metrics);
    return Long.parseLong(m.group(1));
  }

  @Test
  void metricsCountSessionsAndSnippetVmsAndNeedTheToken() throws Exception {
    HttpResponse<String> before = api.get("/api/metrics");
    assertEquals(200, before.statusCode());
    assertTrue(before.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    assertTrue(value(before.body(), "tracefix_workbench_heap_used_bytes") > 0);
    assertTrue(value(before.body(), "tracefix_workbench_heap_max_bytes") > 0);
    assertEquals(0, value(before.body(), "tracefix_workbench_java_vms"));

    api.run("j.md", "one");
    api.run("retransmits.md", "by_peer");
    String after = api.get("/api/metrics").body();
    assertEquals(2, value(after, "tracefix_workbench_sessions_open"));
    assertEquals(1, value(after, "tracefix_workbench_java_vms"));
    assertEquals(2, value(after, "tracefix_workbench_notebook_databases"));
    assertEquals(0, value(after, "tracefix_workbench_cells_running"));
    assertEquals(2, value(after, "tracefix_workbench_cells_run_total"));
    System.out.print(after);

    HttpResponse<String> anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(fixture.base() + "/api/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
  }
}
