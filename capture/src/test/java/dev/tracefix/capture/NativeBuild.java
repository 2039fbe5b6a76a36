package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Compiles and runs the small C programs tests use, failing the test with gcc's output. */
public final class NativeBuild {
  /** The repository's bpf/ directory (surefire runs in the capture module directory). */
  public static final Path BPF_DIR = Path.of("..", "bpf").toAbsolutePath().normalize();

  private NativeBuild() {}

  public static Path gcc(Path source, Path output, String... extraArgs)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("gcc", "-O1", "-Wall", "-I" + BPF_DIR));
    argv.addAll(List.of(extraArgs));
    argv.addAll(List.of("-o", output.toString(), source.toString()));
    run(argv);
    return output;
  }

  /**
   * Runs a command to completion and returns its stdout+stderr; fails the test on non-zero exit.
   */
  public static String run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), () -> String.join(" ", argv) + " failed:\n" + out);
    return out;
  }
}
