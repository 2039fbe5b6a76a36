package dev.tracefix.server.views.flame;

import java.util.List;

/**
 * A flame graph of a selection's stacks: a tree from the root (the outermost user frame) to the
 * leaves (the innermost kernel frame), each node weighted by the events, or the nanoseconds, under
 * it. A differential graph carries the other selection's weight in {@code baseline}.
 *
 * @param weight {@code events} (count) or {@code duration} (sum of {@code duration_ns})
 * @param total the root's weight in the selection
 * @param baselineTotal the root's weight in the baseline selection; 0 when not differential
 * @param events the selection's rows
 * @param withoutStack rows that carry no stack ({@code stack_id} NULL or 0, or not in {@code
 *     stacks})
 * @param stacks distinct stacks drawn
 */
public record FlameGraph(
    String weight,
    long total,
    long baselineTotal,
    long events,
    long withoutStack,
    long stacks,
    FlameNode root) {

  /**
   * One frame in one calling context.
   *
   * @param name the function, without its offset (so calls from different lines merge)
   * @param kind {@code kernel}, {@code jvm} (JIT-compiled Java, the JVM itself) or {@code user}
   * @param value the weight of the stacks through this node in the selection
   * @param baseline their weight in the baseline selection (differential graphs), else 0
   */
  public record FlameNode(
      String name, String kind, long value, long baseline, List<FlameNode> children) {}
}
