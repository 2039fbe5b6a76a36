package dev.tracefix.server.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The long-running JVM service of the tests that attach to a JVM by pid ({@code
 * src/test/resources/jvm/AttachService.java}, run with the source launcher of the JDK running the
 * tests), driven line by line: it prints {@code ready}, works on {@code go} and prints {@code done
 * N}, makes its burst on {@code burst} and prints {@code burst done}, and runs until its stdin
 * closes. {@link #close} closes stdin and ends it.
 */
public final class AttachServiceProcess implements AutoCloseable {
  /** How long the service may take to answer a line: a liveness bound, not a measurement. */
  private static final long PATIENCE_SECONDS = 60;

  private final Process process;
  private final OutputStream stdin;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private AttachServiceProcess(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                }
              } catch (IOException ended) {
                // the process ended
              }
            });
  }

  /**
   * A folder under {@code dir} holding the service's source, that a service run as another user can
   * read the source from and write its files into ({@code dir} itself becomes world-readable).
   */
  public static Path folder(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path work = Files.createDirectories(dir.resolve("service"));
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.copy(
        Path.of("src/test/resources/jvm/AttachService.java").toAbsolutePath(),
        work.resolve("AttachService.java"));
    return work;
  }

  /** The command prefix that runs the service as uid and gid {@code id}, without groups. */
  public static List<String> asUser(String id) {
    return List.of("setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups", "--");
  }

  /**
   * Starts the service from {@code work} ({@link #folder}) over {@code values}, behind {@code
   * prefix} (e.g. {@link #asUser}), with {@code jvmOptions} and {@code environment} added.
   */
  public static AttachServiceProcess start(
      Path work,
      List<String> prefix,
      List<String> jvmOptions,
      Map<String, String> environment,
      List<String> values)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add(work.resolve("AttachService.java").toString());
    command.add(work.toString());
    command.addAll(values);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    return new AttachServiceProcess(builder.start());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends the service one line ({@code go}, {@code burst}). */
  public void tell(String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** Waits for the service to print {@code wanted}; fails with what it printed instead. */
  public void awaitLine(String wanted) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    while (true) {
      String line = lines.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError(
            "the service never printed '"
                + wanted
                + "' (alive "
                + process.isAlive()
                + "): "
                + seen);
      }
      if (line.equals(wanted)) {
        return;
      }
      seen.add(line);
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      stdin.close();
    } catch (IOException gone) {
      // the service ended already
    }
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
