package dev.tracefix.server.capture;

import dev.tracefix.server.ServerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tracefix capture --jfr -- java ...}: the JVM the capture launches records itself with its
 * flight recorder into a private file, written when it exits; the capture reads that file into its
 * own rows ({@link JfrImporter#importInto}) and deletes it. The file holds what the recorder saw
 * before any redaction, so it lives in a directory only root can read, and is removed whatever
 * happens.
 */
public final class JvmRecording implements AutoCloseable {
  /** The recorder's profile settings, with {@link JfrSettings#OVERRIDES}. */
  public static final String SETTINGS =
      "settings=profile," + String.join(",", JfrSettings.OVERRIDES);

  private final Path dir;
  private final Path file;
  private final List<String> command;

  private JvmRecording(Path dir, List<String> command) {
    this.dir = dir;
    this.file = dir.resolve("recording.jfr");
    List<String> launched = new ArrayList<>();
    launched.add(command.get(0));
    // The recorder's working chunks (as raw as the file) go to the private directory too.
    launched.add("-XX:FlightRecorderOptions=repository=" + dir.resolve("repository"));
    launched.add("-XX:StartFlightRecording=filename=" + file + "," + SETTINGS);
    launched.addAll(command.subList(1, command.size()));
    this.command = List.copyOf(launched);
  }

  /** A recording of the JVM {@code command} starts; refused unless it runs a java launcher. */
  public static JvmRecording forCommand(List<String> command) {
    if (command.isEmpty() || !Path.of(command.get(0)).getFileName().toString().equals("java")) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "--jfr records a JVM the capture launches: give the command as -- java [OPTIONS]"
              + " MAIN-OR-JAR [ARGS]");
    }
    try {
      Path dir = Files.createTempDirectory("tracefix-jfr-");
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      return new JvmRecording(dir, command);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a private directory for the recording", e);
    }
  }

  /** The command to run instead: the same, with the recorder started. */
  public List<String> command() {
    return command;
  }

  /** Where the JVM writes its recording when it exits. */
  public Path file() {
    return file;
  }

  /** Whether the JVM wrote its recording (it may have been killed before it could). */
  public boolean written() {
    return Files.isRegularFile(file);
  }

  @Override
  public void close() {
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the recording in " + dir, e);
    }
  }
}
