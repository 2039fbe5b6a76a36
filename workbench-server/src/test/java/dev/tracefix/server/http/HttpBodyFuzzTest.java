package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Every route of the published OpenAPI document, called by an authenticated client with generated
 * and damaged requests: bodies built from the route's schema then given wrong JSON types, huge
 * strings, deep nesting, bytes that are not UTF-8, truncation or no body at all; path parameters
 * and query strings with junk; Content-Types that lie. Each answer must be a 2xx (the input was
 * valid) or a 4xx carrying the JSON error shape, never a 5xx nor a stack trace; a health check
 * follows each request; and a refused request leaves every notebook file as it was.
 */
class HttpBodyFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STACK_FRAME =
      Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$<>]+)+\\(");
  private static final Pattern QUERY_PARAM = Pattern.compile("[?&]([a-z]+)=");

  /** One documented route; {@code body} is its request schema or null. */
  record Route(String method, String path, JsonNode body, List<String> queryParams) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** What one try sends. */
  record Attack(
      Route route,
      String name,
      String id,
      String query,
      String contentType,
      List<Damage> damage,
      long seed) {}

  /** One change to a valid body. */
  enum Damage {
    WRONG_TYPE,
    HUGE_STRING,
    DEEP_NESTING,
    NOT_UTF8,
    TRUNCATED,
    FIELD_DROPPED,
    FIELD_ADDED,
    NOT_JSON,
    EMPTY,
    OVERSIZED
  }

  /** The documented query keys, and two no route reads. */
  private static final List<String> QUERY_KEYS =
      List.of(
          "offset",
          "limit",
          "sort",
          "desc",
          "column",
          "cell",
          "weight",
          "against",
          "from",
          "to",
          "width",
          "format",
          "template",
          "token",
          "x");

  private static Path dir;
  private static WorkbenchFixture fixture;
  private static List<Route> routes;
  private static String cellId;
  private static Map<String, String> originals;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("http-fuzz");
    fixture = new WorkbenchFixture(dir);
    routes = documentedRoutes();
    originals = snapshot();
    cellId = firstCellId();
    for (Route route : routes) {
      assertTrue(
          QUERY_KEYS.containsAll(route.queryParams()),
          route + " documents a query key this test does not send: " + route.queryParams());
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    fixture.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void everyRouteAnswersDamagedRequestsWithAClearError(@ForAll("attacks") Attack attack)
      throws Exception {
    Route route = attack.route();
    String target =
        route
                .path()
                .replace("{name}", attack.name())
                .replace("{id}", attack.id().isEmpty() ? cellId : attack.id())
                .replace("{revision}", "HEAD")
            + attack.query();
    byte[] body = body(attack);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + WorkbenchFixture.TOKEN);
    if (attack.contentType() != null) {
      headers.put("Content-Type", attack.contentType());
    }
    boolean stream = route.path().equals("/api/events");
    RawHttp.Answer answer =
        RawHttp.send(
            fixture.server.port(),
            route.method(),
            target.getBytes(StandardCharsets.UTF_8),
            headers,
            body,
            !stream);
    String what = route + " as " + target + " with " + attack.damage() + ": " + answer;
    Statistics.label("answer").collect(answer.status() / 100 + "xx");
    Statistics.label("route").collect(route.toString());
    String problem = problem(answer);
    if (problem != null && System.getenv("FUZZ_COLLECT") != null) {
      // Exploring: list every problem of a run instead of stopping at the first.
      System.out.printf(
          "PROBLEM %s: %s %s %s CT=%s => %d %s%n",
          problem,
          route,
          attack.damage(),
          target.substring(0, Math.min(target.length(), 200)),
          attack.contentType(),
          answer.body().length(),
          answer.body().substring(0, Math.min(answer.body().length(), 300)));
      return;
    }
    assertNull(problem, () -> problem + ": " + what);
    RawHttp.Answer health =
        RawHttp.send(
            fixture.server.port(),
            "GET",
            "/api/notebooks".getBytes(StandardCharsets.UTF_8),
            Map.of("Authorization", "Bearer " + WorkbenchFixture.TOKEN),
            null,
            true);
    assertEquals(200, health.status(), "health check after " + what);
    Map<String, String> now = snapshot();
    if (answer.status() >= 400) {
      assertEquals(originals, now, "a refused request changed a notebook file: " + what);
    } else if (!now.equals(originals)) {
      Statistics.label("accepted edits").collect(route.toString());
      restore();
    }
  }

  /** What is wrong with an answer, or null: a 5xx, a stack trace, an error that is not JSON. */
  private static String problem(RawHttp.Answer answer) {
    if (answer.status() >= 500) {
      return "a server error";
    }
    if (STACK_FRAME.matcher(answer.body()).find()) {
      return "a stack trace in the body";
    }
    if (answer.status() < 400) {
      return null;
    }
    if (!answer.contentType().startsWith("application/json")) {
      return "an error that is not JSON";
    }
    JsonNode error;
    try {
      error = JSON.readTree(answer.body());
    } catch (IOException e) {
      return "an error body that does not parse (" + answer.body().length() + " chars)";
    }
    if (!error.path("error").isTextual() || error.path("message").asText("").isBlank()) {
      return "an error without its code and message";
    }
    return null;
  }

  @Provide
  Arbitrary<Attack> attacks() {
    Arbitrary<String> names =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.just("retransmits.md")),
            net.jqwik.api.Tuple.of(
                2,
                Arbitraries.of(
                    "broken.md",
                    "failing-cell.md",
                    "nope.md",
                    "retransmits",
                    "%2e%2e%2fretransmits.md",
                    "%00.md",
                    "%ff%fe.md",
                    "a".repeat(3000) + ".md",
                    "%E2%80%AEdm.md",
                    "..")));
    Arbitrary<String> ids =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.just("")),
            net.jqwik.api.Tuple.of(
                2, Arbitraries.of("nope", "%ff", "0", "-1", "x".repeat(3000), "by_peer")));
    Arbitrary<String> contentTypes =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just("application/json")),
            net.jqwik.api.Tuple.of(
                4,
                Arbitraries.of(
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=xyz",
                    "application/json; charset=ISO-8859-1",
                    "application/json; charset=nonsense",
                    "garbage/;;;=",
                    "")));
    Arbitrary<List<Damage>> damage = Arbitraries.of(Damage.class).list().ofMaxSize(3);
    return Combinators.combine(
            Arbitraries.of(routes),
            names,
            ids,
            queries(),
            contentTypes.injectNull(0.1),
            damage,
            Arbitraries.longs())
        .as(Attack::new);
  }

  /** 0–3 parameters, mostly the documented ones, with values a form would never send. */
  private Arbitrary<String> queries() {
    Arbitrary<String> keys = Arbitraries.of(QUERY_KEYS);
    Arbitrary<String> values =
        Arbitraries.of(
            "",
            "0",
            "-1",
            "1000",
            "1001",
            "99999999999999999999",
            "1e9",
            "NaN",
            "true",
            "yes",
            "md",
            "html",
            "pdf",
            "duration",
            "HEAD",
            "HEAD~99",
            "--output=/tmp/x",
            "by_peer",
            "peer",
            "retx",
            "%ff%fe",
            "%zz",
            "%00",
            "'%3Bdrop%20table%20retransmits%3B--",
            "y".repeat(8000));
    Arbitrary<String> pair = Combinators.combine(keys, values).as((k, v) -> k + "=" + v);
    return pair.list()
        .ofMaxSize(3)
        .map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
  }

  /** A valid body from the route's schema, then damaged; null when neither calls for one. */
  private static byte[] body(Attack attack) throws IOException {
    JsonNode schema = attack.route().body();
    if (schema == null && attack.damage().isEmpty()) {
      return null;
    }
    java.util.Random random = new java.util.Random(attack.seed());
    JsonNode value = schema == null ? JSON.createObjectNode() : valid(schema, "", random);
    byte[] bytes = JSON.writeValueAsBytes(value);
    for (Damage d : attack.damage()) {
      bytes = damage(d, value, bytes, random);
      value = null; // only the first damage sees a tree; the rest act on bytes
    }
    return bytes;
  }

  private static byte[] damage(Damage d, JsonNode tree, byte[] bytes, java.util.Random random)
      throws IOException {
    return switch (d) {
      case WRONG_TYPE, FIELD_DROPPED, FIELD_ADDED, HUGE_STRING -> {
        if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
          yield bytes;
        }
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        String field = fields.isEmpty() ? "x" : fields.get(random.nextInt(fields.size()));
        switch (d) {
          case WRONG_TYPE ->
              object.set(
                  field,
                  switch (random.nextInt(5)) {
                    case 0 -> JSON.getNodeFactory().numberNode(random.nextLong());
                    case 1 -> JSON.getNodeFactory().booleanNode(true);
                    case 2 -> JSON.createArrayNode().add("a").add(1);
                    case 3 -> JSON.createObjectNode().put("a", "b");
                    default -> JSON.getNodeFactory().nullNode();
                  });
          case FIELD_DROPPED -> object.remove(field);
          case FIELD_ADDED -> object.put("unexpected" + random.nextInt(9), "value");
          default -> object.put(field, "z".repeat(200_000 + random.nextInt(200_000)));
        }
        yield JSON.writeValueAsBytes(object);
      }
      case DEEP_NESTING -> {
        int depth = 2_000 + random.nextInt(8_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        yield (open.repeat(depth) + "1" + close.repeat(depth)).getBytes(StandardCharsets.UTF_8);
      }
      case NOT_UTF8 -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        out.write(bytes, 0, at);
        out.write(new byte[] {(byte) 0xff, (byte) 0xc3, (byte) 0x28, (byte) 0xed, (byte) 0xa0});
        out.write(bytes, at, bytes.length - at);
        yield out.toByteArray();
      }
      case TRUNCATED ->
          java.util.Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
      case NOT_JSON -> {
        byte[] junk = new byte[random.nextInt(200)];
        random.nextBytes(junk);
        yield junk;
      }
      case EMPTY -> new byte[0];
      case OVERSIZED -> {
        byte[] big = new byte[(int) WorkbenchServer.MAX_REQUEST_BYTES + 1 + random.nextInt(4096)];
        java.util.Arrays.fill(big, (byte) ' ');
        System.arraycopy(bytes, 0, big, 0, Math.min(bytes.length, big.length));
        yield big;
      }
    };
  }

  /** A value the schema accepts, with plausible strings for the fields this API has. */
  private static JsonNode valid(JsonNode schema, String field, java.util.Random random) {
    if (schema.has("anyOf")) {
      JsonNode options = schema.get("anyOf");
      return valid(options.get(random.nextInt(options.size())), field, random);
    }
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      return valid(components().path(ref.substring(ref.lastIndexOf('/') + 1)), field, random);
    }
    return switch (schema.path("type").asText()) {
      case "object" -> {
        var object = JSON.createObjectNode();
        schema
            .path("properties")
            .properties()
            .forEach(p -> object.set(p.getKey(), valid(p.getValue(), p.getKey(), random)));
        if (!schema.has("properties") && schema.has("additionalProperties")) {
          object.put("window", "5m");
        }
        yield object;
      }
      case "array" -> JSON.createArrayNode().add(valid(schema.path("items"), field, random));
      case "integer" -> JSON.getNodeFactory().numberNode(random.nextInt(6) - 1);
      case "null" -> JSON.getNodeFactory().nullNode();
      default -> JSON.getNodeFactory().textNode(plausible(field, random));
    };
  }

  private static String plausible(String field, java.util.Random random) {
    String[] pool =
        switch (field) {
          case "source" -> new String[] {"select 42 as answer", "select * from nope", ""};
          case "op" -> new String[] {"insert", "delete", "convert", "prose", "explode"};
          case "kind" -> new String[] {"sql", "markdown", "java", "minimize", "nonsense"};
          case "type" -> new String[] {"line", "bar", "none", "pie"};
          case "x", "y" -> new String[] {"peer", "retx", "nope"};
          case "decision" -> new String[] {"accept", "reject", "maybe"};
          case "to", "name" -> new String[] {"renamed.md", "fuzz-new.md", "../out.md", "x"};
          case "template" -> new String[] {"retransmits.md", "nope.md"};
          case "query" -> new String[] {"error-bursts", "nope"};
          case "id" -> new String[] {"by_peer", "nope"};
          default -> new String[] {"a message", ""};
        };
    return pool[random.nextInt(pool.length)];
  }

  private static JsonNode openApi;

  private static JsonNode components() {
    return openApi.path("components").path("schemas");
  }

  /** Every route of the published document, with its body schema and documented query keys. */
  private static List<Route> documentedRoutes() throws IOException {
    try (InputStream in = HttpBodyFuzzTest.class.getResourceAsStream("/openapi.json")) {
      openApi = JSON.readTree(in);
    }
    List<Route> all = new ArrayList<>();
    openApi
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          JsonNode body =
                              op.getValue()
                                  .path("requestBody")
                                  .path("content")
                                  .path("application/json")
                                  .path("schema");
                          Set<String> params = new LinkedHashSet<>();
                          Matcher m = QUERY_PARAM.matcher(op.getValue().path("summary").asText(""));
                          while (m.find()) {
                            params.add(m.group(1));
                          }
                          all.add(
                              new Route(
                                  op.getKey().toUpperCase(java.util.Locale.ROOT),
                                  path.getKey(),
                                  body.isMissingNode() ? null : body,
                                  List.copyOf(params)));
                        }));
    assertTrue(all.size() >= 30, "routes in openapi.json: " + all);
    return all;
  }

  private static String firstCellId() throws IOException {
    RawHttp.Answer a =
        RawHttp.send(
            fixture.server.port(),
            "GET",
            "/api/notebooks/retransmits.md".getBytes(StandardCharsets.UTF_8),
            Map.of("Authorization", "Bearer " + WorkbenchFixture.TOKEN),
            null,
            true);
    for (JsonNode block : JSON.readTree(a.body()).path("blocks")) {
      if (block.hasNonNull("cell")) {
        return block.get("cell").get("id").asText();
      }
    }
    throw new AssertionError("retransmits.md has no cell: " + a.body());
  }

  /** Checksums of the notebook folder's files (git's own folder aside). */
  private static Map<String, String> snapshot() throws IOException {
    Map<String, String> sums = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(fixture.notebooksDir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = fixture.notebooksDir.relativize(p).toString();
        if (!rel.startsWith(".git/")) {
          sums.put(rel, sha256(Files.readAllBytes(p)));
        }
      }
    }
    return sums;
  }

  /** Puts the fixture's notebooks back after an accepted edit, so later tries start the same. */
  private static void restore() throws IOException {
    try (Stream<Path> walk = Files.walk(fixture.notebooksDir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = fixture.notebooksDir.relativize(p).toString();
        if (!rel.startsWith(".git/") && !originals.containsKey(rel)) {
          Files.delete(p);
        }
      }
    }
    for (String name : WorkbenchFixture.NOTEBOOKS) {
      try (InputStream in = WorkbenchFixture.class.getResourceAsStream("/http/" + name)) {
        Files.write(fixture.notebooksDir.resolve(name), in.readAllBytes());
      }
    }
    assertEquals(originals, snapshot(), "the fixture's notebooks restored");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
