package dev.tracefix.server.capture;

import dev.tracefix.capture.JvmEventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;

/** The flight-recorder settings a capture records a JVM with, launched or attached. */
final class JfrSettings {
  /**
   * Over the recorder's profile settings: exceptions, and the I/O, monitor and park events kept at
   * any duration (what the joins with kernel rows need), at the cost of more events.
   */
  static final List<String> OVERRIDES =
      List.of(
          "jdk.JavaExceptionThrow#enabled=true",
          "jdk.SocketRead#threshold=0ms",
          "jdk.SocketWrite#threshold=0ms",
          "jdk.FileRead#threshold=1ms",
          "jdk.FileWrite#threshold=1ms",
          "jdk.JavaMonitorEnter#threshold=1ms",
          "jdk.ThreadPark#threshold=1ms");

  private JfrSettings() {}

  /**
   * For a recording streamed out of a running JVM: the profile's settings of the types tracefix
   * stores (see {@link JvmEventType}) and nothing else, so the recording asks for none of the types
   * that carry a process's own data (system properties, environment, arguments), with {@link
   * #OVERRIDES} on top. Two facts of the JDK 25 recorder it keeps: thrown exceptions are recorded
   * only while {@code jdk.JavaErrorThrow} is enabled too, and at most 300 a second (the profile's
   * throttle; {@code jdk.ExceptionStatistics} still counts every one).
   */
  static Map<String, String> streamed() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : profile().entrySet()) {
      int hash = e.getKey().indexOf('#');
      if (hash > 0 && JvmEventType.ofJfrName(e.getKey().substring(0, hash)).isPresent()) {
        settings.put(e.getKey(), e.getValue());
      }
    }
    for (JvmEventType type : JvmEventType.values()) {
      settings.putIfAbsent(type.jfrName() + "#enabled", "true");
    }
    for (String override : OVERRIDES) {
      int eq = override.indexOf('=');
      settings.put(override.substring(0, eq), override.substring(eq + 1));
    }
    return settings;
  }

  /**
   * What a trigger's {@code jfr} action switches a streamed recording to for its TTL: {@link
   * #streamed} with every threshold at 0, so the short parks, monitor enters, waits and file I/O
   * the usual thresholds leave out are recorded too.
   */
  static Map<String, String> richer() {
    Map<String, String> settings = streamed();
    settings.replaceAll((key, value) -> key.endsWith("#threshold") ? "0 ms" : value);
    return settings;
  }

  private static Map<String, String> profile() {
    try {
      return Configuration.getConfiguration("profile").getSettings();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the recorder's profile settings", e);
    } catch (ParseException e) {
      throw new IllegalStateException("the recorder's profile settings do not parse", e);
    }
  }
}
