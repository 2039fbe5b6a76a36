package dev.tracefix.server.views.flame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges stacks into a flame graph's tree, optionally against a baseline selection (the
 * differential form: each node has both weights, and the page colours by the change of its share).
 * Nodes lighter than {@link #MIN_SHARE} of the heavier total in both selections are folded into one
 * {@code [other]} child, so a selection with thousands of rare stacks stays a drawable tree.
 */
public final class FlameTree {
  static final double MIN_SHARE = 1e-4;

  private static final class Mutable {
    final String name;
    final Frame.Kind kind;
    long value;
    long baseline;
    final Map<String, Mutable> children = new LinkedHashMap<>();

    Mutable(String name, Frame.Kind kind) {
      this.name = name;
      this.kind = kind;
    }
  }

  private FlameTree() {}

  public static FlameGraph of(FlameQuery.Weight weight, FlameQuery.Stacks selection) {
    return of(weight, selection, null);
  }

  /**
   * @param baseline the other selection, or null for a plain flame graph
   */
  public static FlameGraph of(
      FlameQuery.Weight weight, FlameQuery.Stacks selection, FlameQuery.Stacks baseline) {
    Mutable root = new Mutable("all", Frame.Kind.USER);
    for (FlameQuery.Stack stack : selection.stacks()) {
      add(root, stack, false);
    }
    if (baseline != null) {
      for (FlameQuery.Stack stack : baseline.stacks()) {
        add(root, stack, true);
      }
    }
    double floor = MIN_SHARE * Math.max(root.value, root.baseline);
    return new FlameGraph(
        weight.word(),
        root.value,
        root.baseline,
        selection.events(),
        selection.withoutStack(),
        selection.stacks().size(),
        freeze(root, floor));
  }

  private static void add(Mutable root, FlameQuery.Stack stack, boolean isBaseline) {
    Mutable node = root;
    credit(node, stack.weight(), isBaseline);
    for (Frame frame : stack.frames()) {
      node =
          node.children.computeIfAbsent(
              frame.kind().word() + ":" + frame.name(),
              k -> new Mutable(frame.name(), frame.kind()));
      credit(node, stack.weight(), isBaseline);
    }
  }

  private static void credit(Mutable node, long weight, boolean isBaseline) {
    if (isBaseline) {
      node.baseline += weight;
    } else {
      node.value += weight;
    }
  }

  private static FlameGraph.FlameNode freeze(Mutable node, double floor) {
    List<FlameGraph.FlameNode> children = new ArrayList<>();
    long otherValue = 0;
    long otherBaseline = 0;
    List<Mutable> sorted = new ArrayList<>(node.children.values());
    sorted.sort(Comparator.comparing((Mutable m) -> m.name)); // alphabetical, as flamegraph.pl
    for (Mutable child : sorted) {
      if (Math.max(child.value, child.baseline) < floor) {
        otherValue += child.value;
        otherBaseline += child.baseline;
      } else {
        children.add(freeze(child, floor));
      }
    }
    if (otherValue + otherBaseline > 0) {
      children.add(
          new FlameGraph.FlameNode("[other]", "user", otherValue, otherBaseline, List.of()));
    }
    return new FlameGraph.FlameNode(
        node.name, node.kind.word(), node.value, node.baseline, children);
  }
}
