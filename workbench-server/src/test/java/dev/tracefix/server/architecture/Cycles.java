package dev.tracefix.server.architecture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Strongly connected groups of more than one package (Tarjan): the package cycles. */
final class Cycles {
  private final Map<String, Set<String>> edges;
  private final Map<String, Integer> index = new HashMap<>();
  private final Map<String, Integer> low = new HashMap<>();
  private final Deque<String> stack = new ArrayDeque<>();
  private final Set<String> onStack = new HashSet<>();
  private final List<Set<String>> groups = new ArrayList<>();

  private Cycles(Map<String, Set<String>> edges) {
    this.edges = edges;
  }

  static List<Set<String>> of(Map<String, Set<String>> edges) {
    Cycles c = new Cycles(edges);
    for (String node : edges.keySet()) {
      if (!c.index.containsKey(node)) {
        c.visit(node);
      }
    }
    return c.groups;
  }

  private void visit(String node) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : edges.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        visit(next);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> group = new HashSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        group.add(member);
      } while (!member.equals(node));
      if (group.size() > 1) {
        groups.add(group);
      }
    }
  }
}
