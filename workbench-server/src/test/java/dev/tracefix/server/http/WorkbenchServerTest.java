package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class WorkbenchServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tempDir;
  private WorkbenchFixture workbench;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    workbench = new WorkbenchFixture(tempDir);
  }

  @AfterEach
  void stop() throws Exception {
    workbench.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String auth)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(workbench.base() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode api(String method, String path, String body, int expectedStatus)
      throws Exception {
    HttpResponse<String> response = send(method, path, body, "Bearer " + WorkbenchFixture.TOKEN);
    assertEquals(
        expectedStatus, response.statusCode(), () -> method + " " + path + ": " + response.body());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        () -> "not JSON: " + response.headers().map());
    return JSON.readTree(response.body());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.get(field).asText()));
    return out;
  }

  @Test
  void printsAStartUrlOnLoopbackThatCarriesTheToken() {
    assertEquals(
        "http://127.0.0.1:" + workbench.server.port() + "/?token=" + WorkbenchFixture.TOKEN,
        workbench.server.url());
  }

  @Test
  void generatesAnUnguessableTokenWhenNoneIsGiven() throws Exception {
    try (WorkbenchServer other = WorkbenchServer.start(workbench.workspace, 0, null)) {
      assertTrue(other.token().length() >= 40, other.token());
      assertTrue(other.url().endsWith("?token=" + other.token()));
    }
  }

  @Test
  void listsTheNotebooksOfTheFolder() throws Exception {
    JsonNode list = api("GET", "/api/notebooks", null, 200);
    List<String> names = texts(list, "name");
    assertTrue(names.contains("retransmits.md"), names::toString);
    assertTrue(names.contains("failing-cell.md"), names::toString);
  }

  @Test
  void opensANotebookWithItsProseAndCellsInFileOrder() throws Exception {
    JsonNode view = api("GET", "/api/notebooks/retransmits.md", null, 200);
    assertEquals("retransmits.md", view.get("name").asText());
    List<String> cellIds = new ArrayList<>();
    boolean sawProse = false;
    for (JsonNode block : view.get("blocks")) {
      if (block.hasNonNull("cell")) {
        cellIds.add(block.get("cell").get("id").asText());
        assertEquals("sql", block.get("cell").get("kind").asText());
      } else {
        sawProse |= block.get("markdown").asText().contains("Retransmit storm");
      }
    }
    assertEquals(List.of("by_peer", "top_peer"), cellIds);
    assertTrue(sawProse, view::toString);
  }

  @Test
  void refusesApiCallsWithoutTheRightToken() throws Exception {
    for (String auth :
        new String[] {null, "Bearer wrong", "Bearer " + WorkbenchFixture.TOKEN + "x"}) {
      HttpResponse<String> response = send("GET", "/api/notebooks", null, auth);
      assertEquals(401, response.statusCode(), String.valueOf(auth));
      assertEquals("unauthorized", JSON.readTree(response.body()).get("error").asText());
    }
  }

  @Test
  void acceptsTheCookieSetWhenThePageIsOpenedWithTheToken() throws Exception {
    HttpResponse<String> page = send("GET", "/?token=" + WorkbenchFixture.TOKEN, null, null);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("js/main-"), "the UI page is served from /web");
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("HttpOnly"), cookie);

    HttpRequest withCookie =
        HttpRequest.newBuilder(URI.create(workbench.base() + "/api/notebooks"))
            .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
            .build();
    assertEquals(200, http.send(withCookie, HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void servesTheCompiledUiWithoutAToken() throws Exception {
    // The bundle's name carries its content hash; index.html is the one place that names it.
    String index = send("GET", "/", null, null).body();
    java.util.regex.Matcher src =
        java.util.regex.Pattern.compile("src=\"(js/main-[A-Z0-9]+\\.js)\"").matcher(index);
    assertTrue(src.find(), index);
    HttpResponse<String> script = send("GET", "/" + src.group(1), null, null);
    assertEquals(200, script.statusCode());
    assertTrue(script.headers().firstValue("Content-Type").orElse("").contains("javascript"));
  }

  @Test
  void answers404ForAnUnknownNotebook() throws Exception {
    JsonNode error = api("GET", "/api/notebooks/no-such-notebook.md", null, 404);
    assertEquals("not_found", error.get("error").asText());
  }

  @Test
  void answers422NamingTheLineOfAMalformedNotebookAndKeepsServing() throws Exception {
    JsonNode error = api("GET", "/api/notebooks/broken.md", null, 422);
    assertEquals("malformed_notebook", error.get("error").asText());
    String message = error.get("message").asText();
    assertTrue(message.contains("broken.md:3"), message);

    api("GET", "/api/notebooks/retransmits.md", null, 200);
  }

  @Test
  void runsASqlCellAndReturnsItsRowsAsATable() throws Exception {
    JsonNode output = api("POST", "/api/notebooks/retransmits.md/cells/by_peer/run", null, 200);
    assertEquals("table", output.get("kind").asText(), output::toString);
    assertEquals("[\"peer\",\"retx\"]", output.get("columns").toString());
    assertEquals(
        "[[\"peer-7f3a\",3],[\"peer-b2e4\",2],[\"peer-19c0\",1]]", output.get("rows").toString());
    assertEquals(3, output.get("totalRows").asLong());
  }

  @Test
  void returnsAFailingCellAsAnErrorOutputNotAnHttpError() throws Exception {
    JsonNode output = api("POST", "/api/notebooks/failing-cell.md/cells/typo/run", null, 200);
    assertEquals("error", output.get("kind").asText(), output::toString);
    assertTrue(output.get("message").asText().toLowerCase().contains("syntax"), output::toString);
  }

  @Test
  void runsAllCellsAndShowsEachOutput() throws Exception {
    JsonNode view = api("POST", "/api/notebooks/retransmits.md/run-all", null, 200);
    List<String> top = new ArrayList<>();
    for (JsonNode block : view.get("blocks")) {
      JsonNode cell = block.get("cell");
      if (cell != null && !cell.isNull() && cell.get("id").asText().equals("top_peer")) {
        top.add(cell.get("output").get("rows").toString());
      }
    }
    assertEquals(List.of("[[\"peer-7f3a\"]]"), top);
  }

  @Test
  void savesAnEditedCellToTheNotebookFile() throws Exception {
    String body = "{\"source\": \"select count(*) as n from retransmits\"}";
    api("PUT", "/api/notebooks/retransmits.md/cells/top_peer", body, 200);
    String text = workbench.notebookText("retransmits.md");
    assertTrue(
        text.contains("```sql name=top_peer\nselect count(*) as n from retransmits\n```"), text);

    JsonNode output = api("POST", "/api/notebooks/retransmits.md/cells/top_peer/run", null, 200);
    assertEquals("[[6]]", output.get("rows").toString());
  }

  @Test
  void answers400ForABodyThatIsNotTheExpectedJson() throws Exception {
    for (String body : new String[] {"{not json", "{}", "[1, 2]"}) {
      JsonNode error = api("PUT", "/api/notebooks/retransmits.md/cells/top_peer", body, 400);
      assertEquals("bad_request", error.get("error").asText(), body);
    }
    api("GET", "/api/notebooks", null, 200);
  }

  @Test
  void answers404AsJsonForAnUnknownApiRoute() throws Exception {
    assertEquals("not_found", api("GET", "/api/nothing-here", null, 404).get("error").asText());
  }

  @Test
  @Timeout(60) // guards against a hang only; the stream normally answers at once
  void streamsCellProgressToSubscribedPages() throws Exception {
    HttpRequest subscribe =
        HttpRequest.newBuilder(URI.create(workbench.base() + "/api/events"))
            .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> events = http.send(subscribe, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, events.statusCode());
    try (Stream<String> stream = events.body()) {
      Iterator<String> lines = stream.iterator();
      while (!lines.next().contains(ProgressEvents.HELLO)) {
        // skip until the server has registered this subscriber
      }
      workbench.server.progressListener().progress("retransmits.md", "by_peer", "step 2 of 5");
      String data = "";
      while (!data.startsWith("data:")) {
        data = lines.next();
      }
      JsonNode progress = JSON.readTree(data.substring("data:".length()));
      assertEquals("retransmits.md", progress.get("notebook").asText());
      assertEquals("by_peer", progress.get("cellId").asText());
      assertEquals("step 2 of 5", progress.get("line").asText());
    }
  }

  @Test
  void refusesTheProgressStreamWithoutTheToken() throws Exception {
    assertEquals(401, send("GET", "/api/events", null, null).statusCode());
  }
}
