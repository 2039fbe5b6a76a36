package dev.tracefix.server.notebook;

import dev.tracefix.server.ServerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of an action cell: {@code key: value} lines in file order. Blank lines and lines
 * starting with {@code #} are allowed and ignored.
 */
public record ActionBody(List<Entry> entries) {

  /** One {@code key: value} line; {@code line} is 1-based in the notebook file. */
  public record Entry(String key, String value, int line) {}

  private static final Pattern KEY_VALUE =
      Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*:(?:\\s+(.*?)|)\\s*$");

  public ActionBody {
    entries = List.copyOf(entries);
  }

  /** Keys to values, in file order. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (Entry entry : entries) {
      map.put(entry.key(), entry.value());
    }
    return map;
  }

  /**
   * Parses a cell body whose first line is {@code firstLine} of {@code fileName}.
   *
   * @throws ServerException MALFORMED naming the file and line of the first bad line
   */
  public static ActionBody parse(String body, String fileName, int firstLine, CellKind kind) {
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<String> lines = Lines.split(body);
    for (int i = 0; i < lines.size(); i++) {
      String line = Lines.stripTerminator(lines.get(i));
      int lineNo = firstLine + i;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher m = KEY_VALUE.matcher(line);
      if (!m.matches()) {
        throw NotebookParser.malformed(
            fileName,
            lineNo,
            kind.word()
                + " cell body lines must be 'key: value' (or blank, or a # comment), got: "
                + abbreviate(trimmed));
      }
      String key = m.group(1);
      if (seen.containsKey(key)) {
        throw NotebookParser.malformed(
            fileName,
            lineNo,
            "key '" + key + "' is already set on line " + seen.get(key) + " of this cell");
      }
      seen.put(key, lineNo);
      entries.add(new Entry(key, m.group(2) == null ? "" : m.group(2), lineNo));
    }
    return new ActionBody(entries);
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
