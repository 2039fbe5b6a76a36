package dev.tracefix.server.run;

import dev.tracefix.server.kernel.sql.SqlStatements;
import dev.tracefix.server.notebook.Cell;
import dev.tracefix.server.notebook.Notebook;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which cells read which named results. A cell depends on a name when its source mentions it: an
 * identifier in SQL (outside string literals and comments), a word inside a Java string literal
 * (as in {@code result("x")} or {@code sql("select * from x")}), or a word in an action cell's
 * values. Mentions are matched case-insensitively, as DuckDB matches identifiers; a stray match
 * only costs an extra stale mark.
 */
final class CellDependencies {
  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern SQL_STRING = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern JAVA_STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");

  private CellDependencies() {}

  /** Names of other cells that {@code cell} mentions. */
  static Set<String> mentions(Cell cell, Set<String> names) {
    String text =
        switch (cell.kind()) {
          case SQL ->
              SQL_STRING.matcher(SqlStatements.withoutComments(cell.source())).replaceAll(" ");
          case JAVA -> javaStrings(cell.source());
          case ASK, CAPTURE, MINIMIZE, BISECT, PATCH ->
              String.join(" ", cell.actionBody().map(b -> b.asMap().values()).orElse(List.of()));
        };
    Set<String> found = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String word = m.group().toLowerCase(Locale.ROOT);
      for (String name : names) {
        if (name.toLowerCase(Locale.ROOT).equals(word)
            && !cell.name().map(name::equals).orElse(false)) {
          found.add(name);
        }
      }
    }
    return found;
  }

  /** The cell and every cell that, directly or through others, reads its result. */
  static Set<String> withDependents(Notebook notebook, String cellId) {
    List<Cell> cells = notebook.cells();
    Set<String> names = new LinkedHashSet<>();
    cells.forEach(c -> c.name().ifPresent(names::add));
    Set<String> affected = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(List.of(cellId));
    while (!queue.isEmpty()) {
      String id = queue.removeFirst();
      if (!affected.add(id)) {
        continue;
      }
      notebook
          .cell(id)
          .flatMap(Cell::name)
          .ifPresent(
              name -> {
                for (Cell other : cells) {
                  if (mentions(other, names).contains(name)) {
                    queue.addLast(other.id());
                  }
                }
              });
    }
    return affected;
  }

  private static String javaStrings(String source) {
    StringBuilder sb = new StringBuilder();
    Matcher m = JAVA_STRING.matcher(source);
    while (m.find()) {
      sb.append(m.group()).append(' ');
    }
    return sb.toString();
  }
}
