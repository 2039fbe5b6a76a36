package dev.tracefix.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real JVM running {@code jvm/PlantedService.java} under the flight recorder, with the I/O,
 * monitor and exception events a server's incident needs recorded at every duration.
 */
final class RecordedService {
  /** The recorder's profile settings, with what tests count recorded however short it was. */
  static final String RECORDER_SETTINGS =
      "settings=profile,jdk.JavaExceptionThrow#enabled=true,jdk.SocketRead#threshold=0ms,"
          + "jdk.SocketWrite#threshold=0ms,jdk.FileRead#threshold=0ms,jdk.FileWrite#threshold=0ms,"
          + "jdk.JavaMonitorEnter#threshold=0ms,jdk.ThreadPark#threshold=0ms";

  private RecordedService() {}

  /** The java launcher running these tests (JDK 25). */
  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static Path source() {
    return Path.of("src/test/resources/jvm/PlantedService.java").toAbsolutePath();
  }

  /**
   * Runs the service over {@code values} with {@code jvmOptions} before the source file, writing
   * its files into {@code dir} and its recording to {@code recording}; returns its stdout.
   */
  static String record(Path dir, Path recording, List<String> jvmOptions, List<String> values)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("-XX:StartFlightRecording=filename=" + recording + "," + RECORDER_SETTINGS);
    command.addAll(jvmOptions);
    command.add(source().toString());
    command.add(dir.toString());
    command.addAll(values);
    Path log = dir.resolve("service.log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The recorder's jdk.InitialEnvironmentVariable events would carry it: they must not be kept.
    builder.environment().put("SERVICE_SECRETS", String.join(" ", values));
    Process p = builder.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the recorded service did not finish: " + Files.readString(log));
    }
    String out = Files.readString(log);
    if (p.exitValue() != 0 || !Files.exists(recording)) {
      throw new AssertionError("the recorded service failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }
}
