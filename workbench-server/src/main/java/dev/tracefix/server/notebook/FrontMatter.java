package dev.tracefix.server.notebook;

import dev.tracefix.server.limits.LimitException;
import dev.tracefix.server.limits.Limits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The YAML block a notebook may open with, between two {@code ---} lines, as in most Markdown
 * tools. It declares the notebook's parameters with their defaults, papermill-style:
 *
 * <pre>
 * ---
 * parameters:
 *   window: 30s
 *   errno_name: EPIPE
 * ---
 * </pre>
 *
 * SQL cells refer to a parameter as {@code $window}; {@code tracefix run -p window=5m} and the
 * workbench set other values for a run. A {@code limits:} mapping beside it sets the notebook's
 * {@link Limits} ({@link #limits}). The block stays prose, so files round-trip unchanged.
 */
public final class FrontMatter {
  private static final String FENCE = "---";
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private FrontMatter() {}

  /**
   * The parameters declared at the top of {@code text} (name → default, in file order); empty when
   * the notebook has no front matter.
   *
   * @throws dev.tracefix.server.ServerException MALFORMED with the line of the problem
   */
  static Map<String, String> parameters(String fileName, String text) {
    return section(fileName, text, "parameters", true);
  }

  /**
   * The limits the notebook sets for itself (limit name → value as written), checked against {@link
   * Limits}: an unknown name or a value that does not parse is a malformed notebook.
   *
   * <pre>
   * ---
   * limits:
   *   timeout: 5m
   *   memory: 2GB
   * ---
   * </pre>
   */
  static Map<String, String> limits(String fileName, String text) {
    Map<String, String> limits = section(fileName, text, "limits", false);
    try {
      Limits.defaults().with(limits);
    } catch (LimitException e) {
      List<String> lines = Lines.split(text);
      throw NotebookParser.malformed(
          fileName, lineOf(lines, lines.size(), e.key()), "front matter limits: " + e.getMessage());
    }
    return limits;
  }

  /** One mapping of scalars under {@code key} (in file order); empty when absent. */
  private static Map<String, String> section(
      String fileName, String text, String key, boolean identifiers) {
    List<String> lines = Lines.split(text);
    if (lines.isEmpty() || !Lines.stripTerminator(lines.getFirst()).equals(FENCE)) {
      return Map.of();
    }
    int close = -1;
    for (int i = 1; i < lines.size(); i++) {
      if (Lines.stripTerminator(lines.get(i)).equals(FENCE)) {
        close = i;
        break;
      }
    }
    if (close < 0) {
      throw NotebookParser.malformed(fileName, 1, "front matter '---' is never closed by '---'");
    }
    StringBuilder yaml = new StringBuilder();
    for (int i = 1; i < close; i++) {
      yaml.append(lines.get(i));
    }
    Object root;
    try {
      // A key given twice is a merge gone wrong, not "the last one wins": refuse it with its line.
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(new SafeConstructor(options)).load(yaml.toString());
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 2;
      throw NotebookParser.malformed(
          fileName, line, "front matter is not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw NotebookParser.malformed(
          fileName, 2, "front matter is not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      return Map.of();
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw NotebookParser.malformed(fileName, 2, "front matter must be a mapping (key: value)");
    }
    Object declared = top.get(key);
    if (declared == null) {
      return Map.of();
    }
    String noun = identifiers ? "parameter" : "limit";
    if (!(declared instanceof Map<?, ?> entries)) {
      throw NotebookParser.malformed(
          fileName,
          lineOf(lines, close, key),
          "'" + key + "' must map " + noun + " names to " + (identifiers ? "defaults" : "values"));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : entries.entrySet()) {
      String name = String.valueOf(e.getKey());
      if (!NAME.matcher(name).matches()) {
        throw NotebookParser.malformed(
            fileName,
            lineOf(lines, close, name),
            noun + " name '" + name + "' must be an identifier (letters, digits, _)");
      }
      Object value = e.getValue();
      if (value instanceof Map<?, ?> || value instanceof List<?>) {
        throw NotebookParser.malformed(
            fileName, lineOf(lines, close, name), noun + " '" + name + "' needs a single value");
      }
      out.put(name, value == null ? "" : String.valueOf(value));
    }
    return out;
  }

  private static int lineOf(List<String> lines, int close, String key) {
    for (int i = 1; i < close; i++) {
      if (Lines.stripTerminator(lines.get(i)).strip().startsWith(key + ":")) {
        return i + 1;
      }
    }
    return 2;
  }
}
