package dev.tracefix.server.query;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.parameters.SqlParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One saved query of the project's {@code queries/} folder: a {@code .sql} file that starts with a
 * header of {@code -- key: value} lines (continued by {@code -- } lines) naming its {@code title},
 * {@code parameters} ({@code $name = 'text'} or {@code $name = 12} with a default, a bare {@code
 * $name} for one that must be given; comma-separated, or {@code none}) and {@code description},
 * then the SQL.
 *
 * @param name the file name without {@code .sql}
 * @param parameters declared parameters and their defaults as plain values (quotes removed); null
 *     for a parameter without a default
 */
public record SavedQuery(
    String name, String title, String description, Map<String, String> parameters, String sql) {
  private static final Pattern HEADER = Pattern.compile("-- ([a-z]+): (.*)");
  private static final Pattern PARAMETER =
      Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)(?:\\s*=\\s*('(?:[^']|'')*'|-?[0-9.]+))?");

  public SavedQuery {
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** Reads and checks a saved query file. */
  public static SavedQuery read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot read saved query " + file + ": " + e.getMessage());
    }
    String fileName = file.getFileName().toString();
    return parse(fileName.substring(0, fileName.length() - ".sql".length()), text);
  }

  /** Parses a saved query's text; {@code name} is used in messages. */
  public static SavedQuery parse(String name, String text) {
    Map<String, StringBuilder> header = new LinkedHashMap<>();
    StringBuilder sql = new StringBuilder();
    String key = null;
    for (String line : text.split("\n", -1)) {
      Matcher m = HEADER.matcher(line);
      if (sql.isEmpty() && key != null && line.startsWith("--   ")) {
        header.get(key).append(' ').append(line.substring(5).strip());
      } else if (sql.isEmpty() && m.matches()) {
        key = m.group(1);
        header.put(key, new StringBuilder(m.group(2).strip()));
      } else {
        sql.append(line).append('\n');
      }
    }
    for (String required : List.of("title", "parameters")) {
      if (!header.containsKey(required)) {
        throw new ServerException(
            ServerException.Kind.MALFORMED,
            "saved query " + name + " has no '-- " + required + ":' header line");
      }
    }
    Map<String, String> parameters = parameters(name, header.get("parameters").toString());
    String body = sql.toString().strip();
    Set<String> undeclared = new TreeSet<>(SqlParameters.references(body));
    undeclared.removeAll(parameters.keySet());
    if (!undeclared.isEmpty()) {
      throw new ServerException(
          ServerException.Kind.MALFORMED,
          "saved query "
              + name
              + " uses $"
              + String.join(", $", undeclared)
              + " but its '-- parameters:' header does not declare "
              + (undeclared.size() == 1 ? "it" : "them"));
    }
    return new SavedQuery(
        name,
        header.get("title").toString(),
        header.containsKey("description") ? header.get("description").toString() : "",
        parameters,
        body);
  }

  private static Map<String, String> parameters(String name, String declared) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (declared.equals("none")) {
      return parameters;
    }
    for (String part : declared.split(",(?=\\s*\\$)")) {
      Matcher m = PARAMETER.matcher(part.strip());
      if (!m.matches()) {
        throw new ServerException(
            ServerException.Kind.MALFORMED,
            "saved query "
                + name
                + ": parameter '"
                + part.strip()
                + "' is not $name = 'text' or"
                + " $name = number");
      }
      String value = m.group(2);
      parameters.put(
          m.group(1),
          value == null
              ? null
              : value.startsWith("'")
                  ? value.substring(1, value.length() - 1).replace("''", "'")
                  : value);
    }
    return parameters;
  }

  /**
   * The SQL with {@code given} values (by name, without {@code $}) and the header's defaults for
   * the rest; a value is put in as a literal it cannot break out of.
   */
  public String bind(Map<String, String> given) {
    Set<String> unknown = new TreeSet<>(given.keySet());
    unknown.removeAll(parameters.keySet());
    if (!unknown.isEmpty()) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "saved query "
              + name
              + " has no parameter "
              + String.join(", ", unknown)
              + "; "
              + (parameters.isEmpty() ? "it takes none" : "it takes " + usage()));
    }
    Map<String, String> values = new LinkedHashMap<>(parameters);
    values.putAll(given);
    values.values().removeIf(java.util.Objects::isNull);
    try {
      return SqlParameters.apply(sql, values);
    } catch (SqlParameters.Missing e) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "saved query "
              + name
              + " needs a value for $"
              + e.name()
              + ": give it with -p "
              + e.name()
              + "=VALUE");
    }
  }

  /** {@code -p errno_name=EPIPE -p window_ms=200}: the parameters with their defaults. */
  public String usage() {
    StringBuilder out = new StringBuilder();
    parameters.forEach(
        (k, v) ->
            out.append(out.isEmpty() ? "" : " ")
                .append("-p ")
                .append(k)
                .append('=')
                .append(v == null ? "VALUE" : v));
    return out.toString();
  }
}
