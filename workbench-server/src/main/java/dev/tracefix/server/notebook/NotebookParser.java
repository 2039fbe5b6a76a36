package dev.tracefix.server.notebook;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.limits.LimitException;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.views.chart.ChartSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the Markdown notebook format. Every line of the file lands in exactly one block, so
 * concatenating the blocks' text reproduces the file byte for byte.
 */
public final class NotebookParser {
  private NotebookParser() {}

  /** Cell names become SQL table names and Java string keys, so they must be identifiers. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * Parses notebook text.
   *
   * @param fileName used in error messages only
   * @throws ServerException MALFORMED with {@code file:line: reason}
   */
  public static Notebook parse(String fileName, String text) {
    return parse(fileName, text, new ArrayList<>());
  }

  /**
   * What in {@code text} parses but is probably not what its author meant, as {@code file:line:
   * message}: a fence whose word looks like a misspelt cell kind ({@code SQL}, {@code sqll}) is
   * prose, so its code never runs. A fence of an ordinary language ({@code text}, {@code sh}) is
   * prose without a warning.
   *
   * @throws ServerException MALFORMED as {@link #parse} does
   */
  public static List<String> warnings(String fileName, String text) {
    List<String> warnings = new ArrayList<>();
    parse(fileName, text, warnings);
    ConflictMarkers.firstLine(text)
        .ifPresent(line -> warnings.add(ConflictMarkers.describe(fileName, line)));
    return List.copyOf(warnings);
  }

  private static Notebook parse(String fileName, String text, List<String> warnings) {
    List<String> lines = Lines.split(text);
    List<NotebookBlock> blocks = new ArrayList<>();
    Map<String, Integer> idLines = new HashMap<>();
    StringBuilder prose = new StringBuilder();
    int cellCount = 0;
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      Optional<Fence> fence = Fence.opening(Lines.stripTerminator(line));
      if (fence.isEmpty()) {
        prose.append(line);
        i++;
        continue;
      }
      int openAt = i;
      int closeAt = findClose(lines, fence.get(), i + 1);
      if (closeAt < 0) {
        throw malformed(
            fileName,
            openAt + 1,
            "fence "
                + String.valueOf(fence.get().marker()).repeat(fence.get().length())
                + " is never closed (add a closing fence of at least the same length)");
      }
      Optional<CellKind> kind = CellKind.fromWord(fence.get().firstWord());
      if (kind.isEmpty()) {
        String word = fence.get().firstWord();
        CellKind.lookalike(word)
            .ifPresent(
                meant ->
                    warnings.add(
                        fileName
                            + ":"
                            + (openAt + 1)
                            + ": '"
                            + word
                            + "' is not a cell kind (did"
                            + " you mean '"
                            + meant.word()
                            + "'?), so this block is prose and"
                            + " never runs; cell kinds: "
                            + CellKind.words()));
        for (int k = openAt; k <= closeAt; k++) {
          prose.append(lines.get(k));
        }
        i = closeAt + 1;
        continue;
      }
      if (!prose.isEmpty()) {
        blocks.add(new NotebookBlock.Prose(prose.toString()));
        prose.setLength(0);
      }
      cellCount++;
      Cell cell = cell(fileName, lines, openAt, closeAt, fence.get(), kind.get(), cellCount);
      Integer earlier = idLines.putIfAbsent(cell.id(), openAt + 1);
      if (earlier != null) {
        throw malformed(
            fileName,
            openAt + 1,
            "cell name '" + cell.id() + "' is already used by the cell on line " + earlier);
      }
      blocks.add(cell);
      i = closeAt + 1;
    }
    if (!prose.isEmpty()) {
      blocks.add(new NotebookBlock.Prose(prose.toString()));
    }
    FrontMatter.parameters(fileName, text); // a broken front matter is a malformed notebook
    FrontMatter.limits(fileName, text);
    return new Notebook(fileName, blocks);
  }

  private static int findClose(List<String> lines, Fence fence, int from) {
    for (int k = from; k < lines.size(); k++) {
      if (fence.closedBy(Lines.stripTerminator(lines.get(k)))) {
        return k;
      }
    }
    return -1;
  }

  private static Cell cell(
      String fileName,
      List<String> lines,
      int openAt,
      int closeAt,
      Fence fence,
      CellKind kind,
      int ordinal) {
    int lineNo = openAt + 1;
    Map<String, String> attributes;
    try {
      attributes = InfoString.attributes(fence.rest());
    } catch (IllegalArgumentException e) {
      throw malformed(fileName, lineNo, e.getMessage());
    }
    for (String key : List.of("name", "id")) {
      String value = attributes.get(key);
      if (value != null && !NAME.matcher(value).matches()) {
        throw malformed(
            fileName,
            lineNo,
            key
                + "='"
                + value
                + "' is not an identifier (letters, digits, _; not starting with a digit)");
      }
    }
    try {
      Limits.defaults().withCell(Cell.limitsOf(attributes));
    } catch (LimitException e) {
      throw malformed(fileName, lineNo, e.getMessage());
    }
    try {
      if (ChartSpec.of(attributes).isPresent() && kind != CellKind.SQL) {
        throw malformed(
            fileName,
            lineNo,
            "chart= draws a SQL cell's result; this is a " + kind.word() + " cell");
      }
    } catch (IllegalArgumentException e) {
      throw malformed(fileName, lineNo, e.getMessage());
    }
    String id = attributes.getOrDefault("name", attributes.getOrDefault("id", "cell-" + ordinal));
    StringBuilder body = new StringBuilder();
    for (int k = openAt + 1; k < closeAt; k++) {
      body.append(lines.get(k));
    }
    Optional<ActionBody> actionBody =
        kind.isAction()
            ? Optional.of(ActionBody.parse(body.toString(), fileName, lineNo + 1, kind))
            : Optional.empty();
    return new Cell(
        id,
        kind,
        attributes,
        lines.get(openAt),
        body.toString(),
        lines.get(closeAt),
        lineNo,
        actionBody);
  }

  static ServerException malformed(String fileName, int line, String reason) {
    return new ServerException(
        ServerException.Kind.MALFORMED, fileName + ":" + line + ": " + reason);
  }
}
