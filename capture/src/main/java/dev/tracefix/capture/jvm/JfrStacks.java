package dev.tracefix.capture.jvm;

import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.stacks.StackIds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * Java stacks into the {@code stacks} model: frames leaf first as {@code java!Class.method:line},
 * each passed through the recognizers like native frames, the id the same hash of the frames the
 * kernel stacks use. A stack is delivered once, before the first event naming it.
 */
final class JfrStacks {
  /** Deep enough for servers' call chains; the recorder itself keeps 64 by default. */
  private static final int MAX_FRAMES = 128;

  private final TextRedactor text;
  private final Consumer<SafeStack> sink;
  private final Set<Long> delivered = new HashSet<>();

  /**
   * Ids by trace object: a chunk's parser hands out one object per stack of its constant pool, so
   * repeated stacks are not formatted, scrubbed and hashed again. Bounded; cleared when full.
   */
  private final Map<RecordedStackTrace, Long> seen = new IdentityHashMap<>();

  JfrStacks(TextRedactor text, Consumer<SafeStack> sink) {
    this.text = text;
    this.sink = sink;
  }

  /** The id of {@code trace}'s stack (delivered now if new), or 0 when there is none. */
  long idOf(RecordedStackTrace trace) {
    if (trace == null) {
      return 0;
    }
    Long known = seen.get(trace);
    if (known != null) {
      return known;
    }
    if (seen.size() > 100_000) {
      seen.clear();
    }
    long id = trace.getFrames().isEmpty() ? 0 : idOfFrames(trace);
    seen.put(trace, id);
    return id;
  }

  private long idOfFrames(RecordedStackTrace trace) {
    List<String> frames = new ArrayList<>();
    for (RecordedFrame f : trace.getFrames()) {
      if (frames.size() == MAX_FRAMES) {
        break;
      }
      frames.add(text.redactFrame(frame(f)));
    }
    long id = StackIds.of(frames, List.of());
    if (delivered.add(id)) {
      sink.accept(new SafeStack(id, frames, List.of(), null));
    }
    return id;
  }

  int count() {
    return delivered.size();
  }

  private static String frame(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    String where = m == null ? "[unknown]" : m.getType().getName() + "." + m.getName();
    return "java!" + where + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "");
  }
}
