package dev.tracefix.server.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.ServerException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Jupyter notebook into the Markdown format: markdown cells become prose, code cells
 * exported by tracefix get their kind and attributes back, and other code cells (say Python) become
 * fenced prose in their language. Outputs are dropped: the format stores none.
 */
public final class IpynbImporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FENCE_RUN = Pattern.compile("(?m)^ {0,3}(`{3,})");

  private IpynbImporter() {}

  /** The notebook, read back from the Markdown the cells became ({@link Notebook#text()}). */
  public static Notebook toNotebook(String fileName, String ipynb) {
    JsonNode root;
    try {
      root = JSON.readTree(ipynb);
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.MALFORMED,
          fileName + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    if (root == null || !root.path("cells").isArray()) {
      throw new ServerException(
          ServerException.Kind.MALFORMED, fileName + ": no cells array (not an .ipynb file?)");
    }
    String language = root.path("metadata").path("language_info").path("name").asText("");
    StringBuilder sb = new StringBuilder();
    int index = 0;
    for (JsonNode cell : root.path("cells")) {
      index++;
      String source = text(cell.path("source"));
      String chunk =
          switch (cell.path("cell_type").asText()) {
            case "markdown", "raw" -> source.endsWith("\n") ? source : source + "\n";
            case "code" ->
                fenced(fileName, index, cell.path("metadata").path("tracefix"), language, source);
            default -> ""; // unrecognized cell types carry nothing the format can hold
          };
      if (chunk.isEmpty()) {
        continue;
      }
      // Each cell must read back on its own, or one cell's unclosed fence would swallow the rest.
      readsBack(fileName, index, chunk);
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(chunk);
    }
    return readsBack(fileName, 0, sb.toString());
  }

  private static Notebook readsBack(String fileName, int cell, String markdown) {
    try {
      return NotebookParser.parse(fileName, markdown);
    } catch (ServerException e) {
      String where = cell == 0 ? "" : " cell " + cell + ":";
      throw new ServerException(
          ServerException.Kind.MALFORMED,
          fileName
              + ":"
              + where
              + " does not convert to a notebook: "
              + e.getMessage().substring(fileName.length() + 1),
          e);
    }
  }

  private static String fenced(
      String fileName, int cell, JsonNode tracefix, String language, String source) {
    String info;
    if (tracefix.hasNonNull("info")) {
      info = tracefix.get("info").asText();
    } else if (tracefix.hasNonNull("kind")) {
      Map<String, String> attrs = new LinkedHashMap<>();
      tracefix
          .path("attrs")
          .properties()
          .forEach(e -> attrs.put(e.getKey(), e.getValue().asText()));
      info = tracefix.get("kind").asText() + InfoString.format(attrs);
    } else {
      info = language.isEmpty() ? "text" : language;
    }
    // A backtick fence's info string is one line without backticks (CommonMark).
    if (info.contains("`") || info.contains("\n") || info.contains("\r")) {
      throw new ServerException(
          ServerException.Kind.MALFORMED,
          fileName
              + ": cell "
              + cell
              + ": its tracefix kind and attributes are not one line"
              + " without backticks");
    }
    int longest = 2;
    Matcher m = FENCE_RUN.matcher(source);
    while (m.find()) {
      longest = Math.max(longest, m.group(1).length());
    }
    String fence = "`".repeat(longest + 1);
    String body = source.isEmpty() || source.endsWith("\n") ? source : source + "\n";
    return fence + info + "\n" + body + fence + "\n";
  }

  private static String text(JsonNode multiline) {
    if (multiline.isArray()) {
      StringBuilder sb = new StringBuilder();
      multiline.forEach(line -> sb.append(line.asText()));
      return sb.toString();
    }
    return multiline.asText("");
  }
}
