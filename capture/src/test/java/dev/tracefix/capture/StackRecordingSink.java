package dev.tracefix.capture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Records processes, events and stacks, and which events named a stack not delivered before. */
final class StackRecordingSink implements SafeEventSink {
  /** A user-space (0x7f...) or kernel (ffff...) virtual address, with or without 0x. */
  static final Pattern RAW_ADDRESS = Pattern.compile("(?i)(7f[0-9a-f]{10}|ffff[0-9a-f]{12})");

  final List<SafeProcess> processes = Collections.synchronizedList(new ArrayList<>());
  final List<SafeEvent> events = Collections.synchronizedList(new ArrayList<>());
  final Map<Long, SafeStack> stacks = Collections.synchronizedMap(new HashMap<>());
  final List<Long> stacksNamedBeforeDelivery = new ArrayList<>();
  final List<Long> stacksDeliveredTwice = new ArrayList<>();

  @Override
  public void onProcess(SafeProcess process) {
    processes.add(process);
  }

  @Override
  public void onStack(SafeStack stack) {
    if (stacks.put(stack.stackId(), stack) != null) {
      stacksDeliveredTwice.add(stack.stackId());
    }
  }

  @Override
  public void onEvents(List<SafeEvent> batch) {
    for (SafeEvent e : batch) {
      if (e.stackId() != 0 && !stacks.containsKey(e.stackId())) {
        stacksNamedBeforeDelivery.add(e.stackId());
      }
    }
    events.addAll(batch);
  }

  SafeProcess process(String comm) {
    return processes.stream()
        .filter(p -> p.comm().equals(comm))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no process " + comm + " in " + processes));
  }

  List<String> allFrames() {
    List<String> all = new ArrayList<>();
    for (SafeStack s : stacks.values()) {
      all.addAll(s.frames());
      all.addAll(s.kernelFrames());
    }
    return all;
  }

  /** Index of the first frame containing {@code part} at or after {@code from}, or -1. */
  static int indexOf(List<String> frames, String part, int from) {
    for (int i = Math.max(0, from); i < frames.size(); i++) {
      if (frames.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }
}
