package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code tracefix capture} as the unprivileged user {@code nobody} (dropping root with
 * setpriv) and expects one clear line naming the missing privilege, not a libbpf stack trace.
 */
class CaptureWithoutRootTest {

  @Test
  void captureAsAnUnprivilegedUserNamesTheMissingPrivilege(@TempDir Path dir) throws Exception {
    boolean root = "0".equals(uid());
    assumeTrue(root || "true".equals(System.getenv("CI")), "needs root to drop to user nobody");
    assertTrue(root, "CI runs as root; this test must run there");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    String classpath = readableClasspath(dir.resolve("cp"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        List.of(
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
            java.toString(),
            "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-cp",
            classpath,
            "dev.tracefix.server.cli.Main",
            "capture",
            "--db",
            dir.resolve("out.duckdb").toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--duration",
            "1s");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("HOME", dir.toString());
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command did not finish");
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains("root") && output.contains("CAP_BPF"), output);
    assertFalse(output.contains("\tat "), "no stack trace for a user error: " + output);
  }

  private static String uid() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return line.split("\\s+")[1];
      }
    }
    return "";
  }

  /** Copies the test classpath where user nobody can read it (~/.m2 of root is private). */
  private static String readableClasspath(Path target) throws IOException {
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (!Files.exists(source)) {
        continue;
      }
      Path copy = target.resolve(i++ + "-" + source.getFileName());
      copyReadable(source, copy);
      entries.add(copy.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void copyReadable(Path source, Path copy) throws IOException {
    try (Stream<Path> all = Files.walk(source)) {
      for (Path p : all.toList()) {
        Path to = copy.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(p, to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
    Files.setPosixFilePermissions(copy.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
