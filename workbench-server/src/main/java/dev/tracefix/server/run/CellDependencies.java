package dev.tracefix.server.run;

import dev.tracefix.server.kernel.sql.SqlStatements;
import dev.tracefix.server.notebook.Cell;
import dev.tracefix.server.notebook.Notebook;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which cells read which named results. A cell depends on a name when its source mentions it: an
 * identifier in SQL (outside string literals and comments), a word inside a Java string literal (as
 * in {@code result("x")} or {@code sql("select * from x")}), or a word in an action cell's values.
 * Mentions are matched case-insensitively, as DuckDB matches identifiers; a stray match only costs
 * an extra stale mark.
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

  /**
   * What "run stale" does: the cells to run, in dependency order (file order among independent
   * ones), and the cells among them that must fail instead of running, with why.
   *
   * @param dependencies for each cell to run, the cells whose results it reads
   */
  record Plan(
      List<String> order, Map<String, String> failures, Map<String, Set<String>> dependencies) {}

  private static final Pattern JAVA_RESULT =
      Pattern.compile("\\bresult\\s*\\(\\s*\"([^\"\\\\\\n]*)\"\\s*\\)");

  /**
   * Plans running the {@code stale} cells, plus the cells they read from that have no output yet
   * (in {@code ran} are the cells that have one). A cell in a cycle of named results, and a Java
   * cell that reads {@code result("x")} where no cell is named x, fail.
   */
  static Plan plan(Notebook notebook, Set<String> stale, Set<String> ran) {
    List<Cell> cells = notebook.cells();
    Set<String> names = new LinkedHashSet<>();
    Map<String, String> idOfName = new HashMap<>();
    for (Cell c : cells) {
      c.name()
          .ifPresent(
              n -> {
                names.add(n);
                idOfName.put(n.toLowerCase(Locale.ROOT), c.id());
              });
    }
    Map<String, Set<String>> reads = new HashMap<>();
    for (Cell c : cells) {
      Set<String> producers = new LinkedHashSet<>();
      for (String n : mentions(c, names)) {
        producers.add(idOfName.get(n.toLowerCase(Locale.ROOT)));
      }
      reads.put(c.id(), producers);
    }
    Set<String> targets = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>();
    for (Cell c : cells) {
      if (stale.contains(c.id())) {
        queue.add(c.id());
      }
    }
    while (!queue.isEmpty()) {
      String id = queue.removeFirst();
      if (!targets.add(id)) {
        continue;
      }
      for (String producer : reads.get(id)) {
        if (!ran.contains(producer) && !targets.contains(producer)) {
          queue.add(producer);
        }
      }
    }
    Map<String, String> failures = new HashMap<>();
    for (List<String> cycle : cycles(cells, reads)) {
      for (String id : cycle) {
        if (targets.contains(id)) {
          failures.put(
              id,
              "cycle of named results: "
                  + String.join(" → ", cycle)
                  + " → "
                  + cycle.getFirst()
                  + "; these cells read each other's results, so none can run first: make one"
                  + " of them read the store instead");
        }
      }
    }
    for (Cell c : cells) {
      if (targets.contains(c.id()) && c.kind() == dev.tracefix.server.notebook.CellKind.JAVA) {
        Matcher m = JAVA_RESULT.matcher(c.source());
        while (m.find()) {
          if (!idOfName.containsKey(m.group(1).toLowerCase(Locale.ROOT))) {
            failures.putIfAbsent(
                c.id(),
                "reads result(\""
                    + m.group(1)
                    + "\"), but no cell is named "
                    + m.group(1)
                    + "; name the cell that makes it (```sql name="
                    + m.group(1)
                    + "```)");
          }
        }
      }
    }
    // Kahn's algorithm over the targets, file order among the ready ones; cycle members last.
    List<String> order = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Cell c : cells) {
        String id = c.id();
        if (!targets.contains(id) || done.contains(id) || failures.containsKey(id)) {
          continue;
        }
        boolean ready =
            reads.get(id).stream()
                .allMatch(p -> !targets.contains(p) || done.contains(p) || failures.containsKey(p));
        if (ready) {
          order.add(id);
          done.add(id);
          progress = true;
          break;
        }
      }
    }
    for (Cell c : cells) {
      if (targets.contains(c.id()) && !done.contains(c.id())) {
        order.add(c.id());
      }
    }
    Map<String, Set<String>> dependencies = new HashMap<>();
    for (String id : order) {
      dependencies.put(id, Set.copyOf(reads.get(id)));
    }
    return new Plan(List.copyOf(order), Map.copyOf(failures), Map.copyOf(dependencies));
  }

  /** The cycles among cells (Tarjan's strongly connected components of more than one cell). */
  private static List<List<String>> cycles(List<Cell> cells, Map<String, Set<String>> reads) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<List<String>> found = new ArrayList<>();
    int[] counter = {0};
    for (Cell c : cells) {
      if (!index.containsKey(c.id())) {
        strongConnect(c.id(), reads, index, low, stack, onStack, found, counter);
      }
    }
    return found;
  }

  private static void strongConnect(
      String v,
      Map<String, Set<String>> reads,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<List<String>> found,
      int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]);
    counter[0]++;
    stack.push(v);
    onStack.add(v);
    for (String w : reads.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        strongConnect(w, reads, index, low, stack, onStack, found, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        java.util.Collections.reverse(component);
        found.add(component);
      }
    }
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
