package dev.tracefix.server.http;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workbench API as an OpenAPI 3.1 document, written from the routes' declared Java types
 * (records become object schemas, the sealed {@code CellOutput} a {@code oneOf} on its {@code
 * kind}). The committed copy ({@code openapi.json} in the server's resources, served at {@code GET
 * /api/openapi.json}) is checked against this by a test.
 */
final class OpenApiDocument {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z_]+)}");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, ObjectNode> components = new TreeMap<>();

  private OpenApiDocument() {}

  /** The document for {@code routes}, as stable, pretty-printed JSON. */
  static String of(List<ApiRoutes.Route> routes) {
    return new OpenApiDocument().build(routes);
  }

  private String build(List<ApiRoutes.Route> routes) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "tracefix workbench API");
    info.put("version", "1");
    info.put(
        "description",
        "Every route needs the workbench token (Authorization: Bearer, or the cookie set by the"
            + " ?token= visit plus the X-XSRF-Token header for changes). Hosts other than"
            + " loopback and foreign Origins are refused.");
    ObjectNode paths = doc.putObject("paths");
    List<ApiRoutes.Route> sorted =
        routes.stream()
            .sorted(
                Comparator.comparing(ApiRoutes.Route::path).thenComparing(ApiRoutes.Route::method))
            .toList();
    for (ApiRoutes.Route route : sorted) {
      ObjectNode path =
          paths.has(route.path())
              ? (ObjectNode) paths.get(route.path())
              : paths.putObject(route.path());
      ObjectNode op = path.putObject(route.method().toLowerCase(java.util.Locale.ROOT));
      op.put("summary", route.summary());
      ArrayNode parameters = op.putArray("parameters");
      Matcher m = PATH_PARAM.matcher(route.path());
      while (m.find()) {
        ObjectNode p = parameters.addObject();
        p.put("name", m.group(1));
        p.put("in", "path");
        p.put("required", true);
        p.putObject("schema").put("type", "string");
      }
      if (route.body() != null) {
        op.putObject("requestBody")
            .putObject("content")
            .putObject(ApiRoutes.JSON)
            .set("schema", schema(route.body()));
      }
      ObjectNode ok = op.putObject("responses").putObject("200");
      ok.put("description", "success");
      ObjectNode media = ok.putObject("content").putObject(route.mediaType());
      media.set(
          "schema",
          route.response() == null
              ? JSON.createObjectNode().put("type", "string")
              : schema(route.response()));
      ObjectNode errors = (ObjectNode) op.get("responses");
      errors
          .putObject("default")
          .put("description", "an error: 4xx for the caller's mistakes, 5xx for the server's")
          .putObject("content")
          .putObject(ApiRoutes.JSON)
          .set("schema", schema(ApiError.class));
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    components.forEach(schemas::set);
    try {
      return JSON.writeValueAsString(doc) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the OpenAPI document could not be written", e);
    }
  }

  private ObjectNode schema(Type type) {
    ObjectNode s = JSON.createObjectNode();
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        s.put("type", "array");
        s.set("items", schema(args[0]));
      } else if (Map.class.isAssignableFrom(raw)) {
        s.put("type", "object");
        s.set("additionalProperties", schema(args[1]));
      } else if (raw == Optional.class) {
        return schema(args[0]);
      } else {
        throw new IllegalArgumentException("no schema for " + type);
      }
      return s;
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return s.put("type", "string");
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return s.put("type", "integer");
    }
    if (c == double.class || c == Double.class) {
      return s.put("type", "number");
    }
    if (c == boolean.class || c == Boolean.class) {
      return s.put("type", "boolean");
    }
    if (c == Object.class) {
      return s; // any JSON value: a table cell
    }
    return s.put("$ref", "#/components/schemas/" + component(c));
  }

  /** Registers {@code c} (a record or a sealed interface of records) and returns its name. */
  private String component(Class<?> c) {
    String name = name(c);
    if (components.containsKey(name)) {
      return name;
    }
    ObjectNode s = JSON.createObjectNode();
    components.put(name, s); // before recursing: types may refer to themselves
    if (c.isRecord()) {
      s.put("type", "object");
      ObjectNode props = s.putObject("properties");
      ArrayNode required = s.putArray("required");
      kindOf(c)
          .ifPresent(
              kind -> {
                props.putObject("kind").put("const", kind);
                required.add("kind");
              });
      for (RecordComponent rc : c.getRecordComponents()) {
        ObjectNode value = schema(rc.getGenericType());
        if (rc.isAnnotationPresent(dev.tracefix.server.wire.MayBeNull.class)) {
          ObjectNode either = JSON.createObjectNode();
          either.putArray("anyOf").add(value).addObject().put("type", "null");
          value = either;
        }
        props.set(rc.getName(), value);
        if (rc.getType() != Optional.class) {
          required.add(rc.getName());
        }
      }
      s.put("additionalProperties", false);
    } else if (c.isSealed() && c.isAnnotationPresent(JsonSubTypes.class)) {
      ArrayNode oneOf = s.putArray("oneOf");
      ObjectNode mapping = JSON.createObjectNode();
      for (JsonSubTypes.Type sub : c.getAnnotation(JsonSubTypes.class).value()) {
        String ref = "#/components/schemas/" + component(sub.value());
        oneOf.addObject().put("$ref", ref);
        mapping.put(sub.name(), ref);
      }
      String property = c.getAnnotation(JsonTypeInfo.class).property();
      s.putObject("discriminator").put("propertyName", property).set("mapping", mapping);
    } else {
      throw new IllegalArgumentException(
          c.getName() + " is neither a record nor a sealed type with @JsonSubTypes");
    }
    return name;
  }

  /** The {@code kind} a subtype of a {@code @JsonSubTypes} interface is written with. */
  private static Optional<String> kindOf(Class<?> c) {
    for (Class<?> parent : c.getInterfaces()) {
      JsonSubTypes subs = parent.getAnnotation(JsonSubTypes.class);
      if (subs != null) {
        for (JsonSubTypes.Type t : subs.value()) {
          if (t.value() == c) {
            return Optional.of(t.name());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** {@code CellOutput.Table} → {@code CellOutputTable}; other nested records by simple name. */
  private static String name(Class<?> c) {
    Class<?> outer = c.getEnclosingClass();
    return outer != null && outer.isSealed() && outer.isAssignableFrom(c)
        ? outer.getSimpleName() + c.getSimpleName()
        : c.getSimpleName();
  }
}
