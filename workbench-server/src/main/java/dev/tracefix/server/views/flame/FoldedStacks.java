package dev.tracefix.server.views.flame;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stacks as folded text, the input of Brendan Gregg's {@code flamegraph.pl} and of speedscope: one
 * line per distinct stack, frames from the root to the leaf joined by {@code ;}, a space and the
 * weight. Kernel frames end in {@code _[k]} and JVM frames in {@code _[j]}, the annotations {@code
 * flamegraph.pl --colors=java} colours by. A {@code ;} or line break inside a name would split it,
 * so those become {@code :} and a space.
 */
public final class FoldedStacks {
  private FoldedStacks() {}

  public static String of(FlameQuery.Stacks stacks) {
    Map<String, Long> lines = new LinkedHashMap<>();
    for (FlameQuery.Stack stack : stacks.stacks()) {
      if (stack.weight() <= 0) {
        continue;
      }
      StringBuilder line = new StringBuilder();
      for (Frame frame : stack.frames()) {
        if (!line.isEmpty()) {
          line.append(';');
        }
        line.append(frame.name().replace(';', ':').replace('\n', ' ').replace('\r', ' '));
        switch (frame.kind()) {
          case KERNEL -> line.append("_[k]");
          case JVM -> line.append("_[j]");
          case USER -> {}
        }
      }
      lines.merge(line.toString(), stack.weight(), Long::sum);
    }
    StringBuilder out = new StringBuilder();
    lines.forEach((stack, weight) -> out.append(stack).append(' ').append(weight).append('\n'));
    return out.toString();
  }
}
