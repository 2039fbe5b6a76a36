package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracefix.capture.Capture;
import dev.tracefix.server.fixloop.CapturedReplay;
import dev.tracefix.server.minimize.MinimizeCellRunner;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A minimize cell whose repro is judged by {@code capture-query:}, run the way the browser runs it:
 * a SQL cell gives the steps, the minimize cell is run over the workbench's HTTP API on loopback,
 * and every repro run is captured under the real kernel. The replay script exits 0 whatever
 * happens, so only the capture (a refused connect) tells a failing run from a passing one.
 */
class CaptureQueryMinimizeCellTest {
  @TempDir Path dir;

  @BeforeEach
  void keysInATempFolder() {
    System.setProperty("tracefix.keys", dir.resolve("keys").toString());
  }

  @AfterEach
  void forgetKeys() {
    System.clearProperty("tracefix.keys");
  }

  @Test
  void minimizeCellFindsTheStepWhoseCaptureShowsARefusedConnect() throws Exception {
    Optional<String> unavailable = Capture.unavailableReason();
    if (unavailable.isPresent() && "true".equals(System.getenv("CI"))) {
      fail("CI=true requires eBPF capture, but: " + unavailable.get());
    }
    assumeTrue(unavailable.isEmpty(), () -> "eBPF capture unavailable: " + unavailable.get());
    Path repo = CapturedReplay.writeInto(dir.resolve("target"));
    try (WorkbenchFixture fixture =
        new WorkbenchFixture(dir, Map.of("minimize", new MinimizeCellRunner()))) {
      Files.writeString(
          fixture.notebooksDir.resolve("refused.md"),
          "# Refused connects\n\n```sql name=steps\n"
              + "SELECT * FROM (VALUES (1, 'read'), (2, 'connect'))"
              + " t(step, action) ORDER BY step\n```\n\n"
              + "```minimize name=shrink\ninput: steps\nrepo: "
              + repo
              + "\nrun: ./replay.sh\ntimeout: 30s\nshrink: none\ncache: off\n"
              + "capture-query: SELECT count(*) AS refused FROM events"
              + " WHERE errno_name = 'ECONNREFUSED' HAVING count(*) > 0\n```\n");
      ApiClient api = new ApiClient(fixture);
      assertEquals("table", api.run("refused.md", "steps").get("kind").asText());
      HttpResponse<String> response =
          api.postAsync("/api/notebooks/refused.md/cells/shrink/run", Duration.ofMinutes(4))
              .get(5, TimeUnit.MINUTES);
      JsonNode out = ApiClient.json(response);
      System.out.println(
          "minimize cell: "
              + out.get("rows")
              + " of "
              + out.get("originalSize")
              + " steps, "
              + out.get("oracleCalls")
              + " captured repro runs");
      assertEquals("minimized", out.get("kind").asText(), out.toString());
      assertEquals(2, out.get("originalSize").asInt());
      assertEquals(1, out.get("rows").size(), out.toString());
      assertEquals("connect", out.get("rows").get(0).get(1).asText(), out.toString());
    }
    CapturedReplay.assertNoRunCgroupLeft();
  }
}
