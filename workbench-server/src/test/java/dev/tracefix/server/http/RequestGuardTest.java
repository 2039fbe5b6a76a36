package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workbench refuses what another site's page or another local user could send: every route read
 * from the router × {no token, wrong token, foreign Origin, foreign Host}; cookie sessions without
 * the XSRF header; malformed and oversized bodies; notebook names that leave the folder. Requests
 * are written on a raw socket so the Host header and the body are exactly as sent.
 */
class RequestGuardTest {
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

  record Answer(int status, String body) {}

  /** One HTTP/1.1 request; returns the status and (up to 64 KiB of) the body. */
  private Answer raw(String method, String path, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
      socket.setSoTimeout(20_000);
      StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      Map<String, String> all = new LinkedHashMap<>();
      all.put("Host", "127.0.0.1:" + fixture.server.port());
      all.put("Connection", "close");
      all.putAll(headers);
      if (body != null) {
        all.put("Content-Length", "" + body.length);
        all.putIfAbsent("Content-Type", "application/json");
      }
      all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException refusedEarly) {
          // The server may answer (413) and close before reading a huge body.
        }
      }
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      int code = Integer.parseInt(status.split(" ")[1]);
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // headers
      }
      char[] buf = new char[65536];
      int n = code == 200 && path.equals("/api/events") ? 0 : Math.max(in.read(buf), 0);
      return new Answer(code, new String(buf, 0, n));
    }
  }

  private Map<String, String> bearer() {
    return new LinkedHashMap<>(Map.of("Authorization", "Bearer " + WorkbenchFixture.TOKEN));
  }

  private String firstCellId() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var response =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(fixture.base() + "/api/notebooks/retransmits.md"))
                .header("Authorization", "Bearer " + WorkbenchFixture.TOKEN)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    for (JsonNode block : new ObjectMapper().readTree(response.body()).path("blocks")) {
      if (block.hasNonNull("cell")) {
        return block.get("cell").get("id").asText();
      }
    }
    throw new AssertionError("retransmits.md has no cell: " + response.body());
  }

  private String concrete(String route, String cellId) {
    return route
        .replace("{name}", "retransmits.md")
        .replace("{id}", cellId)
        .replace("{revision}", "HEAD");
  }

  @Test
  void everyRouteRefusesEachAttack() throws Exception {
    List<String> routes = fixture.server.routes();
    assertTrue(routes.size() >= 6, "routes read from the router: " + routes);
    String cellId = firstCellId();
    Map<String, Map<String, String>> attacks = new LinkedHashMap<>();
    attacks.put("no token", Map.of());
    attacks.put("wrong token", Map.of("Authorization", "Bearer not-the-token"));
    Map<String, String> foreignOrigin = bearer();
    foreignOrigin.put("Origin", "http://evil.example");
    attacks.put("foreign Origin", foreignOrigin);
    Map<String, String> foreignHost = bearer();
    foreignHost.put("Host", "rebind.evil.example:" + fixture.server.port());
    attacks.put("foreign Host", foreignHost);
    Map<String, String> wrongCookie = new LinkedHashMap<>();
    wrongCookie.put("Cookie", TokenAuth.COOKIE + "=guessed");
    attacks.put("wrong cookie", wrongCookie);

    List<String> accepted = new ArrayList<>();
    int tried = 0;
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = concrete(route.substring(route.indexOf(' ') + 1), cellId);
      byte[] body = method.equals("PUT") ? "{\"source\":\"select 1\"}".getBytes() : null;
      for (var attack : attacks.entrySet()) {
        Answer a = raw(method, path, attack.getValue(), body);
        tried++;
        if (a.status() != 401 && a.status() != 403) {
          accepted.add(attack.getKey() + " → " + route + " answered " + a.status());
        }
      }
    }
    assertEquals(List.of(), accepted, "routes: " + routes);
    assertEquals(routes.size() * attacks.size(), tried);
    assertFalse(fixture.notebookText("retransmits.md").contains("select 1\n"), "no edit got in");
  }

  @Test
  void theOwnPageAndTheTokenStillWork() throws Exception {
    Map<String, String> sameOrigin = bearer();
    sameOrigin.put("Origin", "http://127.0.0.1:" + fixture.server.port());
    assertEquals(200, raw("GET", "/api/notebooks", sameOrigin, null).status());
    Map<String, String> localhost = bearer();
    localhost.put("Host", "localhost:" + fixture.server.port());
    assertEquals(200, raw("GET", "/api/notebooks", localhost, null).status());
    Map<String, String> ipv6 = bearer();
    ipv6.put("Host", "[::1]:" + fixture.server.port());
    assertEquals(200, raw("GET", "/api/notebooks", ipv6, null).status());
  }

  @Test
  void aCookieSessionMustEchoTheXsrfCookieToChangeAnything() throws Exception {
    String cellId = firstCellId();
    String path = "/api/notebooks/retransmits.md/cells/" + cellId;
    byte[] body = "{\"source\":\"select 2 as two\"}".getBytes(StandardCharsets.UTF_8);
    // The ?token= visit sets both cookies; read the XSRF value from the Set-Cookie header.
    String xsrf = xsrfCookieFromTokenVisit();
    Map<String, String> cookieOnly = new LinkedHashMap<>();
    cookieOnly.put(
        "Cookie",
        TokenAuth.COOKIE
            + "="
            + WorkbenchFixture.TOKEN
            + "; "
            + TokenAuth.XSRF_COOKIE
            + "="
            + xsrf);
    assertEquals(
        200, raw("GET", "/api/notebooks", cookieOnly, null).status(), "reads need no XSRF");
    assertEquals(403, raw("PUT", path, cookieOnly, body).status());
    Map<String, String> wrong = new LinkedHashMap<>(cookieOnly);
    wrong.put(RequestGuard.XSRF_HEADER, "x" + xsrf);
    assertEquals(403, raw("PUT", path, wrong, body).status());
    assertFalse(fixture.notebookText("retransmits.md").contains("select 2 as two"));
    Map<String, String> withXsrf = new LinkedHashMap<>(cookieOnly);
    withXsrf.put(RequestGuard.XSRF_HEADER, xsrf);
    assertEquals(200, raw("PUT", path, withXsrf, body).status());
    assertTrue(fixture.notebookText("retransmits.md").contains("select 2 as two"));
  }

  private String xsrfCookieFromTokenVisit() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
      String request =
          "GET /?token="
              + WorkbenchFixture.TOKEN
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + fixture.server.port()
              + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        String prefix = "set-cookie: " + TokenAuth.XSRF_COOKIE + "=";
        if (line.toLowerCase().startsWith(prefix)) {
          return line.substring(prefix.length()).split(";")[0];
        }
      }
    }
    throw new AssertionError("the token visit set no " + TokenAuth.XSRF_COOKIE + " cookie");
  }

  @Test
  void malformedAndOversizedRequestsGetAClear4xx() throws Exception {
    String cellId = firstCellId();
    String path = "/api/notebooks/retransmits.md/cells/" + cellId;
    Answer badJson = raw("PUT", path, bearer(), "{not json".getBytes());
    assertEquals(400, badJson.status());
    assertTrue(badJson.body().contains("must be JSON"), badJson.body());
    Answer noSource = raw("PUT", path, bearer(), "{\"src\": 1}".getBytes());
    assertEquals(400, noSource.status());
    byte[] huge = new byte[(int) WorkbenchServer.MAX_REQUEST_BYTES * 2];
    java.util.Arrays.fill(huge, (byte) 'a');
    assertEquals(413, raw("PUT", path, bearer(), huge).status());
    assertEquals(404, raw("GET", "/api/notebooks/nope.md", bearer(), null).status());
    assertEquals(
        404, raw("POST", "/api/notebooks/retransmits.md/cells/nope/run", bearer(), null).status());
    assertEquals(200, raw("GET", "/api/notebooks", bearer(), null).status(), "still serving");
  }

  @Test
  void notebookNamesNeverLeaveTheFolder() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.md"), "# secret outside\n");
    Path sibling = Files.createDirectories(dir.resolve("notebooks-evil"));
    Files.writeString(sibling.resolve("x.md"), "# secret sibling\n");
    Files.createSymbolicLink(fixture.notebooksDir.resolve("link.md"), outside);
    List<String> names =
        List.of(
            "../outside.md",
            "..%2Foutside.md",
            "%2e%2e%2foutside.md",
            "%252e%252e%252foutside.md",
            "..%252foutside.md",
            "%2Fetc%2Fpasswd",
            "%2F" + dir.toString().substring(1).replace("/", "%2F") + "%2Foutside.md",
            "..%2Fnotebooks-evil%2Fx.md",
            "link.md");
    List<String> served = new ArrayList<>();
    for (String name : names) {
      Answer a = raw("GET", "/api/notebooks/" + name, bearer(), null);
      if (a.status() != 404 && a.status() != 400 || a.body().contains("secret")) {
        served.add(name + " → " + a.status() + " " + a.body());
      }
    }
    assertEquals(List.of(), served);
  }
}
