package dev.tracefix.fixloop.repro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Hides tracefix's key material from the commands a notebook's action cells run (repro, build,
 * test): they run as the server's user, which as root could read the HMAC keys and with them link
 * every token back. As root the command starts in a private mount namespace ({@code unshare
 * --mount}) where an empty, unreadable tmpfs covers each key folder; the rest of the file system
 * (the repository, its build) is as before. Without root there is nothing to hide from: the keys
 * belong to the user who wrote the notebook's commands.
 */
final class KeyStoreShield {
  private KeyStoreShield() {}

  /** The command line to run {@code argv} with every key folder hidden (unchanged if not root). */
  static List<String> wrap(List<String> argv) {
    List<Path> hidden = keyFolders();
    if (!isRoot() || hidden.isEmpty()) {
      return argv;
    }
    StringBuilder script = new StringBuilder();
    for (int i = 1; i <= hidden.size(); i++) {
      script
          .append("mount -t tmpfs -o mode=000,size=4k tracefix-hidden \"$")
          .append(i)
          .append(
              "\" || { echo \"tracefix: cannot hide the key store from the command\" >&2; exit 255; }; ");
    }
    script.append("shift ").append(hidden.size()).append("; exec \"$@\"");
    List<String> out =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                script.toString(),
                "tracefix-shield"));
    hidden.forEach(p -> out.add(p.toString()));
    out.addAll(argv);
    return out;
  }

  /** The default key store, {@code TRACEFIX_KEYS}, and {@code -Dtracefix.keys}, where present. */
  static List<Path> keyFolders() {
    Set<Path> candidates = new LinkedHashSet<>();
    candidates.add(Path.of(System.getProperty("user.home"), ".tracefix"));
    String env = System.getenv("TRACEFIX_KEYS");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    String property = System.getProperty("tracefix.keys");
    if (property != null && !property.isBlank()) {
      candidates.add(Path.of(property));
    }
    List<Path> present = new ArrayList<>();
    for (Path p : candidates) {
      if (Files.isDirectory(p)) {
        present.add(p.toAbsolutePath().normalize());
      }
    }
    return present;
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
