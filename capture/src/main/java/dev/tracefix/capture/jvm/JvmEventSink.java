package dev.tracefix.capture.jvm;

import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SafeStack;
import java.util.List;

/**
 * Where redacted JVM events go. A process is delivered before its events, a stack before the first
 * event naming it.
 */
public interface JvmEventSink {
  void onProcess(SafeProcess process);

  void onStack(SafeStack stack);

  void onJvmEvents(List<SafeJvmEvent> events);
}
