package dev.tracefix.fixloop.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of minimize, bisect and patch cells cannot read the HMAC keys, even when the server
 * runs as root, and still work in their own folder.
 */
class KeyStoreShieldTest {
  private static final String KEY =
      "9f3c0a5e7b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a";

  @Test
  void aReproCommandCannotReadTheKeyStore(@TempDir Path dir) throws Exception {
    boolean root = Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t");
    assumeTrue(root || "true".equals(System.getenv("CI")), "hiding needs root (a mount namespace)");
    assertTrue(root, "CI runs as root; this test must run there");
    Path home = Files.createDirectories(dir.resolve("home"));
    Path keys = Files.createDirectories(home.resolve(".tracefix/keys"));
    Files.writeString(keys.resolve("current.key"), KEY + "\n");
    Path work = Files.createDirectories(dir.resolve("work"));
    String before = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      ReproCommand.Run read =
          new ReproCommand("cat \"$KEYFILE\"", Duration.ofSeconds(30))
              .run(
                  work,
                  List.of(),
                  Map.of(
                      "KEYFILE", keys.resolve("current.key").toString(),
                      "KEYDIR", keys.toString()));
      assertNotEquals(0, read.exitCode(), read.outputTail());
      assertFalse(read.outputTail().contains(KEY), read.outputTail());
      ReproCommand.Run list =
          new ReproCommand("ls -A \"$KEYDIR\" 2>/dev/null | wc -l", Duration.ofSeconds(30))
              .run(work, List.of(), Map.of("KEYDIR", keys.toString()));
      assertEquals("0", list.outputTail().strip(), "the key folder looks empty from inside");

      ReproCommand.Run build =
          new ReproCommand("echo built > artifact.txt && cat artifact.txt", Duration.ofSeconds(30))
              .run(work, List.of(), Map.of());
      assertEquals(0, build.exitCode(), build.outputTail());
      assertEquals("built\n", Files.readString(work.resolve("artifact.txt")));
    } finally {
      System.setProperty("user.home", before);
    }
    assertEquals(KEY + "\n", Files.readString(keys.resolve("current.key")), "the keys are intact");
  }
}
