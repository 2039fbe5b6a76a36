package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests refused before or while their body is read, found by {@link HttpBodyFuzzTest}: Jetty's
 * own refusals were its HTML page echoing the URI (and no body at all for a PUT), a charset the JVM
 * does not know was a 500. Each now gets the API's JSON error with a 4xx.
 */
class RefusedRequestShapeTest {
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

  private RawHttp.Answer get(String target) throws Exception {
    return send("GET", target, Map.of(), null);
  }

  private RawHttp.Answer send(
      String method, String target, Map<String, String> headers, String body) throws Exception {
    Map<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.put("Authorization", "Bearer " + WorkbenchFixture.TOKEN);
    return RawHttp.send(
        fixture.server.port(),
        method,
        target.getBytes(StandardCharsets.UTF_8),
        all,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        true);
  }

  private static JsonNode apiError(RawHttp.Answer answer, int status) throws Exception {
    assertEquals(status, answer.status(), answer.toString());
    assertTrue(answer.contentType().startsWith("application/json"), answer.toString());
    JsonNode error = new ObjectMapper().readTree(answer.body());
    assertTrue(error.path("error").isTextual(), answer.body());
    assertFalse(error.path("message").asText("").isBlank(), answer.body());
    return error;
  }

  @Test
  void aRequestLineTooLongIsAJsonErrorThatDoesNotEchoIt() throws Exception {
    RawHttp.Answer answer = get("/api/notebooks?sort=" + "y".repeat(20_000));
    apiError(answer, 414);
    assertFalse(answer.body().contains("yyyy"), answer.body());
  }

  @Test
  void aPathThatIsNotValidPercentEncodingIsAJsonError() throws Exception {
    apiError(get("/api/notebooks/retransmits.md/cells/%ff/rows.csv"), 400);
    apiError(get("/api/notebooks/%00.md"), 400);
    apiError(
        send(
            "PUT",
            "/api/notebooks/retransmits.md/cells/%ff/chart",
            Map.of("Content-Type", "application/json"),
            "{\"type\":\"line\"}"),
        400);
    assertEquals(200, get("/api/notebooks").status(), "still serving");
  }

  @Test
  void aBodyInACharsetTheServerDoesNotKnowIsABadRequest() throws Exception {
    String before = fixture.notebookText("retransmits.md");
    for (String type :
        List.of("application/json; charset=nonsense", "application/json; charset=;")) {
      JsonNode error =
          apiError(
              send(
                  "PUT",
                  "/api/notebooks/retransmits.md/cells/by_peer",
                  Map.of("Content-Type", type),
                  "{\"source\":\"select 7\"}"),
              400);
      assertTrue(error.get("message").asText().contains("charset"), error.toString());
    }
    assertEquals(before, fixture.notebookText("retransmits.md"), "nothing written");
  }

  @Test
  void anErrorQuotingAHugeValueQuotesOnlyItsStart() throws Exception {
    String op = "z".repeat(300_000);
    JsonNode error =
        apiError(
            send(
                "POST",
                "/api/notebooks/retransmits.md/blocks",
                Map.of("Content-Type", "application/json"),
                "{\"op\":\"" + op + "\",\"index\":0}"),
            400);
    String message = error.get("message").asText();
    assertTrue(message.length() < 2_100, "message of " + message.length() + " chars");
    assertTrue(message.endsWith("more characters)"), message.substring(message.length() - 80));
  }
}
