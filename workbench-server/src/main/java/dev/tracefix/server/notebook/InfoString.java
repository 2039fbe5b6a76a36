package dev.tracefix.server.notebook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Parses the attributes after the cell kind: {@code key=value} or {@code key="quoted value"}. */
final class InfoString {
  private InfoString() {}

  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  /**
   * Attributes in order.
   *
   * @throws IllegalArgumentException with a reason naming the offending text
   */
  static Map<String, String> attributes(String rest) {
    Map<String, String> attributes = new LinkedHashMap<>();
    int i = 0;
    int n = rest.length();
    while (true) {
      while (i < n && Character.isWhitespace(rest.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return attributes;
      }
      int start = i;
      int eq = i;
      while (eq < n && rest.charAt(eq) != '=' && !Character.isWhitespace(rest.charAt(eq))) {
        eq++;
      }
      String key = rest.substring(start, eq);
      if (eq >= n || rest.charAt(eq) != '=' || !KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "attribute '" + word(rest, start) + "' is not key=value or key=\"value\"");
      }
      int v = eq + 1;
      String value;
      if (v < n && rest.charAt(v) == '"') {
        StringBuilder sb = new StringBuilder();
        int j = v + 1;
        boolean closed = false;
        while (j < n) {
          char c = rest.charAt(j);
          if (c == '\\' && j + 1 < n && (rest.charAt(j + 1) == '"' || rest.charAt(j + 1) == '\\')) {
            sb.append(rest.charAt(j + 1));
            j += 2;
          } else if (c == '"') {
            closed = true;
            j++;
            break;
          } else {
            sb.append(c);
            j++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("attribute '" + key + "' has an unclosed quote");
        }
        if (j < n && !Character.isWhitespace(rest.charAt(j))) {
          throw new IllegalArgumentException(
              "attribute '" + key + "' has text right after its closing quote");
        }
        value = sb.toString();
        i = j;
      } else {
        int j = v;
        while (j < n && !Character.isWhitespace(rest.charAt(j))) {
          if (rest.charAt(j) == '"') {
            throw new IllegalArgumentException(
                "attribute '" + key + "' has a quote inside an unquoted value");
          }
          j++;
        }
        if (j == v) {
          throw new IllegalArgumentException(
              "attribute '" + key + "' has no value (write " + key + "=\"\" for an empty one)");
        }
        value = rest.substring(v, j);
        i = j;
      }
      if (attributes.containsKey(key)) {
        throw new IllegalArgumentException("attribute '" + key + "' is given twice");
      }
      attributes.put(key, value);
    }
  }

  private static String word(String s, int start) {
    int end = start;
    while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
      end++;
    }
    return s.substring(start, end);
  }

  /** Formats attributes back into info-string syntax, quoting where needed. */
  static String format(Map<String, String> attributes) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      sb.append(' ').append(e.getKey()).append('=');
      String v = e.getValue();
      boolean plain =
          !v.isEmpty() && v.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"');
      sb.append(plain ? v : '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
    }
    return sb.toString();
  }
}
