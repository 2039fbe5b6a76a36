package dev.tracefix.server.kernel.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who Java snippets run as. A server running as root starts the snippet VM through {@code setpriv}
 * as {@code nobody} (group {@code nogroup}, no supplementary groups, no new privileges), so a
 * snippet cannot read root's home (0700), the key store (a 0700 folder of 0600 files) or {@code
 * /etc/shadow}. A server running as an ordinary user starts it as that user, as before: the snippet
 * can do no more than the person who started the server.
 *
 * @param commandPrefix what the snippet VM's command line starts with; empty for "as this user"
 * @param user who the snippet VM runs as, for messages
 * @param unavailable why snippets must not run at all (root without setpriv)
 */
record SnippetSandbox(List<String> commandPrefix, String user, Optional<String> unavailable) {
  static final String USER = "nobody";

  SnippetSandbox {
    commandPrefix = List.copyOf(commandPrefix);
  }

  /** The sandbox for this process: unprivileged if it runs as root. */
  static SnippetSandbox forThisProcess() {
    return of(currentUid(), onPath("setpriv"), hasGroup("nogroup") ? "nogroup" : USER);
  }

  static SnippetSandbox of(long uid, Optional<Path> setpriv, String group) {
    if (uid != 0) {
      return new SnippetSandbox(List.of(), System.getProperty("user.name"), Optional.empty());
    }
    if (setpriv.isEmpty()) {
      return new SnippetSandbox(
          List.of(),
          "root",
          Optional.of(
              "Java cells are off: this server runs as root, and setpriv (util-linux), which starts"
                  + " snippets as the unprivileged user "
                  + USER
                  + ", is missing; install it"
                  + " (apt-get install util-linux) and run the cell again"));
    }
    return new SnippetSandbox(
        List.of(
            setpriv.get().toString(),
            "--reuid=" + USER,
            "--regid=" + group,
            "--clear-groups",
            "--no-new-privs"),
        USER,
        Optional.empty());
  }

  /** Whether snippets run as another user than the server (their files must be readable to it). */
  boolean dropsPrivileges() {
    return !commandPrefix.isEmpty();
  }

  private static long currentUid() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1; // not Linux: no setpriv either, and no root to drop
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    List<String> dirs =
        path == null || path.isBlank()
            ? List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")
            : List.of(path.split(":"));
    return dirs.stream()
        .filter(d -> d.startsWith("/")) // never a setpriv found relative to the working folder
        .map(d -> Path.of(d, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static boolean hasGroup(String name) {
    try {
      return Files.readAllLines(Path.of("/etc/group")).stream()
          .anyMatch(line -> line.startsWith(name + ":"));
    } catch (IOException e) {
      return false;
    }
  }
}
