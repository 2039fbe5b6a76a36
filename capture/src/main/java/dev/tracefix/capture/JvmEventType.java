package dev.tracefix.capture;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The JVM flight-recorder event types tracefix stores in {@code jvm_events}: the ones that matter
 * in incidents. Each is also an event type of the privacy policy, under its flight-recorder name
 * ({@code jdk.JavaExceptionThrow}). A recording's other types are counted and not read: those that
 * carry arbitrary user data (system properties, environment variables, JVM arguments) never enter a
 * field.
 */
public enum JvmEventType {
  EXCEPTION_THROW("jdk.JavaExceptionThrow"),
  ERROR_THROW("jdk.JavaErrorThrow"),
  EXCEPTION_STATISTICS("jdk.ExceptionStatistics"),
  GARBAGE_COLLECTION("jdk.GarbageCollection"),
  GC_PHASE_PAUSE("jdk.GCPhasePause"),
  SAFEPOINT_BEGIN("jdk.SafepointBegin"),
  SAFEPOINT_END("jdk.SafepointEnd"),
  MONITOR_ENTER("jdk.JavaMonitorEnter"),
  MONITOR_WAIT("jdk.JavaMonitorWait"),
  THREAD_PARK("jdk.ThreadPark"),
  SOCKET_READ("jdk.SocketRead"),
  SOCKET_WRITE("jdk.SocketWrite"),
  FILE_READ("jdk.FileRead"),
  FILE_WRITE("jdk.FileWrite"),
  THREAD_START("jdk.ThreadStart"),
  THREAD_END("jdk.ThreadEnd"),
  CPU_LOAD("jdk.CPULoad"),
  EXECUTION_SAMPLE("jdk.ExecutionSample");

  private static final Map<String, JvmEventType> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(JvmEventType::jfrName, Function.identity()));

  private final String jfrName;

  JvmEventType(String jfrName) {
    this.jfrName = jfrName;
  }

  /** The flight recorder's name of the type, stored in {@code jvm_events.type}. */
  public String jfrName() {
    return jfrName;
  }

  /** The stored value: the flight recorder's name, which engineers already search for. */
  public String columnValue() {
    return jfrName;
  }

  public static Optional<JvmEventType> ofJfrName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
