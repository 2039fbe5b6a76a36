package dev.tracefix.server.run;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.parameters.SqlParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A notebook's parameter values: the front matter's defaults with the session's values on top, put
 * into SQL cells by {@link SqlParameters}.
 */
final class NotebookParameters {
  private NotebookParameters() {}

  /** Declared defaults with {@code overrides} on top; an override must name a declared one. */
  static Map<String, String> effective(
      Map<String, String> declared, Map<String, String> overrides) {
    Set<String> unknown = new TreeSet<>(overrides.keySet());
    unknown.removeAll(declared.keySet());
    if (!unknown.isEmpty()) {
      throw new ServerException(
          ServerException.Kind.MALFORMED,
          "the notebook declares no parameter "
              + String.join(", ", unknown)
              + (declared.isEmpty()
                  ? "; declare parameters in its front matter (---\\nparameters:\\n  name: default\\n---)"
                  : "; it declares: " + String.join(", ", declared.keySet())));
    }
    Map<String, String> out = new LinkedHashMap<>(declared);
    out.putAll(overrides);
    return out;
  }

  /** {@code sql} with the notebook's values; a {@code $name} without one says how to give it. */
  static String apply(String sql, Map<String, String> values) {
    try {
      return SqlParameters.apply(sql, values);
    } catch (SqlParameters.Missing e) {
      throw new ServerException(
          ServerException.Kind.MALFORMED,
          "$"
              + e.name()
              + " is not a parameter of this notebook: declare it in the front matter"
              + " (parameters: "
              + e.name()
              + ": DEFAULT) or give it with -p "
              + e.name()
              + "=VALUE");
    }
  }
}
