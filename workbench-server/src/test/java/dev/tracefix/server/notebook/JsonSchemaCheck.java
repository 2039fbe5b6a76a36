package dev.tracefix.server.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A JSON Schema (draft 4) checker for the keywords the nbformat schema uses: $ref to local
 * definitions, type, enum, required, properties, additionalProperties, patternProperties, items,
 * oneOf, not, pattern, min/maxLength, minimum/maximum, uniqueItems. No validator library is
 * available offline here, so the test interprets the official schema file itself rather than
 * restating its rules by hand.
 */
final class JsonSchemaCheck {
  private final JsonNode root;

  JsonSchemaCheck(JsonNode root) {
    this.root = root;
  }

  /** Violations, each with its JSON path; empty when the document is valid. */
  List<String> violations(JsonNode document) {
    List<String> out = new ArrayList<>();
    check(root, document, "$", out);
    return out;
  }

  private void check(JsonNode schema, JsonNode value, String path, List<String> out) {
    if (schema.has("$ref")) {
      check(resolve(schema.get("$ref").asText()), value, path, out);
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
      out.add(path + ": expected type " + schema.get("type") + " but was " + value.getNodeType());
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode option : schema.get("enum")) {
        found |= option.equals(value);
      }
      if (!found) {
        out.add(path + ": " + value + " not in " + schema.get("enum"));
      }
    }
    if (schema.has("oneOf")) {
      int matches = 0;
      for (JsonNode option : schema.get("oneOf")) {
        List<String> sub = new ArrayList<>();
        check(option, value, path, sub);
        matches += sub.isEmpty() ? 1 : 0;
      }
      if (matches != 1) {
        out.add(path + ": matches " + matches + " of the oneOf alternatives, expected exactly 1");
      }
    }
    if (schema.has("not")) {
      List<String> sub = new ArrayList<>();
      check(schema.get("not"), value, path, sub);
      if (sub.isEmpty()) {
        out.add(path + ": matches a schema it must not match");
      }
    }
    if (value.isObject()) {
      object(schema, value, path, out);
    }
    if (value.isArray()) {
      if (schema.has("items")) {
        for (int i = 0; i < value.size(); i++) {
          check(schema.get("items"), value.get(i), path + "[" + i + "]", out);
        }
      }
      if (schema.path("uniqueItems").asBoolean(false)
          && new HashSet<>(iterable(value)).size() != value.size()) {
        out.add(path + ": items are not unique");
      }
    }
    if (value.isTextual()) {
      String s = value.asText();
      if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
        out.add(path + ": '" + s + "' does not match " + schema.get("pattern").asText());
      }
      if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
        out.add(path + ": shorter than " + schema.get("minLength"));
      }
      if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
        out.add(path + ": longer than " + schema.get("maxLength"));
      }
    }
    if (value.isNumber()) {
      if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
        out.add(path + ": below minimum " + schema.get("minimum"));
      }
      if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
        out.add(path + ": above maximum " + schema.get("maximum"));
      }
    }
  }

  private void object(JsonNode schema, JsonNode value, String path, List<String> out) {
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        out.add(path + ": missing required '" + required.asText() + "'");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String childPath = path + "." + field.getKey();
      boolean matched = false;
      if (schema.path("properties").has(field.getKey())) {
        check(schema.get("properties").get(field.getKey()), field.getValue(), childPath, out);
        matched = true;
      }
      for (Iterator<Map.Entry<String, JsonNode>> p = schema.path("patternProperties").fields();
          p.hasNext(); ) {
        Map.Entry<String, JsonNode> pattern = p.next();
        if (Pattern.compile(pattern.getKey()).matcher(field.getKey()).find()) {
          check(pattern.getValue(), field.getValue(), childPath, out);
          matched = true;
        }
      }
      JsonNode additional = schema.get("additionalProperties");
      if (!matched && additional != null) {
        if (additional.isBoolean() && !additional.asBoolean()) {
          out.add(path + ": property '" + field.getKey() + "' is not allowed");
        } else if (additional.isObject()) {
          check(additional, field.getValue(), childPath, out);
        }
      }
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> true;
    };
  }

  private JsonNode resolve(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("only local $ref supported: " + ref);
    }
    JsonNode node = root;
    for (String part : ref.substring(2).split("/")) {
      node = node.path(part);
    }
    if (node.isMissingNode()) {
      throw new IllegalArgumentException("unresolved $ref " + ref);
    }
    return node;
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }
}
