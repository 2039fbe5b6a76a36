package dev.tracefix.server.notebook;

import dev.tracefix.server.limits.Limit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One cell: a fenced block whose info string names a {@link CellKind}. The fence lines are kept
 * verbatim so that saving an unchanged cell gives back its exact bytes.
 *
 * @param id stable id: the {@code name} attribute, else the {@code id} attribute, else {@code
 *     cell-N} (N counts cells from 1 in file order)
 * @param kind what runs the cell
 * @param attributes the info string's {@code key=value} attributes, in order, values unquoted
 * @param openingLine the opening fence line including its line terminator
 * @param body the lines between the fences, with their terminators
 * @param closingLine the closing fence line, including its terminator if the file has one there
 * @param line 1-based line number of the opening fence
 * @param actionBody the parsed {@code key: value} body of action cells; empty for sql and java
 */
public record Cell(
    String id,
    CellKind kind,
    Map<String, String> attributes,
    String openingLine,
    String body,
    String closingLine,
    int line,
    Optional<ActionBody> actionBody)
    implements NotebookBlock {

  public Cell {
    attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
  }

  @Override
  public String text() {
    return openingLine + body + closingLine;
  }

  /** The {@code name} attribute: under this name later cells see the cell's result. */
  public Optional<String> name() {
    return Optional.ofNullable(attributes.get("name"));
  }

  /**
   * The limits this cell's fence sets (e.g. {@code timeout=30s max_rows=100000}): attributes named
   * like a {@link Limit}, checked by the parser.
   */
  public Map<String, String> limits() {
    return limitsOf(attributes);
  }

  static Map<String, String> limitsOf(Map<String, String> attributes) {
    Map<String, String> limits = new java.util.LinkedHashMap<>();
    attributes.forEach(
        (key, value) -> {
          if (Limit.ofKey(key).isPresent()) {
            limits.put(key, value);
          }
        });
    return limits;
  }

  /** The body as a person edits it: without the line terminator that precedes the closing fence. */
  public String source() {
    List<String> lines = Lines.split(body);
    if (lines.isEmpty()) {
      return "";
    }
    String last = lines.getLast();
    return body.substring(0, body.length() - Lines.terminator(last).length());
  }

  /** The info string exactly as written after the fence characters (trimmed). */
  public String info() {
    return Fence.opening(Lines.stripTerminator(openingLine)).map(Fence::info).orElse("");
  }

  /**
   * This cell with a new source. Only this cell's text changes; the fences grow when the new source
   * contains a line that would otherwise close the block early.
   */
  Cell withSource(String source) {
    if (source.equals(source())) {
      return this;
    }
    String eol = Lines.terminator(openingLine).isEmpty() ? "\n" : Lines.terminator(openingLine);
    String newBody = source.isEmpty() ? "" : source + eol;
    Fence fence = Fence.opening(Lines.stripTerminator(openingLine)).orElseThrow();
    int needed = fence.length();
    for (String bodyLine : Lines.split(newBody)) {
      Fence probe = new Fence(fence.marker(), needed, "");
      while (probe.closedBy(Lines.stripTerminator(bodyLine))) {
        needed++;
        probe = new Fence(fence.marker(), needed, "");
      }
    }
    String opening = openingLine;
    String closing = closingLine;
    if (needed > fence.length()) {
      String extra = String.valueOf(fence.marker()).repeat(needed - fence.length());
      String fenceRun = String.valueOf(fence.marker()).repeat(fence.length());
      opening = openingLine.replaceFirst(java.util.regex.Pattern.quote(fenceRun), fenceRun + extra);
      closing = closingLine.replaceFirst(java.util.regex.Pattern.quote(fenceRun), fenceRun + extra);
    }
    return new Cell(id, kind, attributes, opening, newBody, closing, line, actionBody);
  }

  /**
   * This cell's opening fence with attributes {@code changes} set (a null value removes one);
   * attributes keep their order, new ones go last. Only the opening line changes: its indent, fence
   * run, kind and line terminator stay, the attributes are written as {@link InfoString#format}
   * writes them. Unchanged attributes give back this cell, byte for byte.
   */
  String openingLineWith(Map<String, String> changes) {
    java.util.LinkedHashMap<String, String> next = new java.util.LinkedHashMap<>(attributes);
    changes.forEach(
        (key, value) -> {
          if (value == null) {
            next.remove(key);
          } else {
            next.put(key, value);
          }
        });
    if (next.equals(attributes)) {
      return openingLine;
    }
    String line = Lines.stripTerminator(openingLine);
    Fence fence = Fence.opening(line).orElseThrow();
    String fenceRun = String.valueOf(fence.marker()).repeat(fence.length());
    String indent = line.substring(0, line.indexOf(fenceRun));
    return indent
        + fenceRun
        + fence.firstWord()
        + InfoString.format(next)
        + Lines.terminator(openingLine);
  }
}
