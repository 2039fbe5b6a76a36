package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real CLI as its own JVM (import of the recorded capture, export, report in both formats)
 * and checks the mode of everything it wrote: the database (and what its rewrite leaves), the
 * spool, the Parquet tree, the key store, the reports. 0600/0700 by default; 0640/0750 with {@code
 * TRACEFIX_GROUP_READ=1} or {@code --group-read}, and in a setgid folder every file takes the
 * folder's group. Keys stay 0600 in 0700 whatever the option.
 */
class WrittenFileModesTest {
  private static final String PRIVATE_FILE = "rw-------";
  private static final String PRIVATE_DIR = "rwx------";

  @TempDir Path dir;

  @Test
  void everythingTheCliWritesIsOwnerOnlyByDefault() throws Exception {
    Path out = run("default", Map.of(), List.of());
    Map<String, Integer> checked = assertModes(out, PRIVATE_FILE, PRIVATE_DIR);
    System.out.println("WrittenFileModesTest default: " + checked);
  }

  @Test
  void theGroupOptionFromTheEnvironmentGrantsGroupReadAndASetgidFolderItsGroup() throws Exception {
    Path out = Files.createDirectories(dir.resolve("group-env"));
    GroupPrincipal group = shareWithAGroup(out);
    run("group-env", Map.of("TRACEFIX_GROUP_READ", "1"), List.of());
    Map<String, Integer> checked = assertModes(out, "rw-r-----", "rwxr-x---");
    System.out.println("WrittenFileModesTest TRACEFIX_GROUP_READ=1: " + checked);
    if (group != null) {
      assertGroup(out, group);
    }
  }

  @Test
  void theGlobalFlagDoesTheSame() throws Exception {
    Path out = run("group-flag", Map.of(), List.of("--group-read"));
    Map<String, Integer> checked = assertModes(out, "rw-r-----", "rwxr-x---");
    System.out.println("WrittenFileModesTest --group-read: " + checked);
  }

  /** import, export, report .md and .html into {@code dir/name}; returns that folder. */
  private Path run(String name, Map<String, String> env, List<String> flags) throws Exception {
    Path out = Files.createDirectories(dir.resolve(name));
    Path inputs = Files.createDirectories(dir.resolve("inputs-" + name));
    Path home = out.resolve("home");
    Path notebook =
        Files.writeString(
            inputs.resolve("review.md"),
            "# Review\n\n```sql name=procs\nSELECT comm, count(*) AS n FROM processes GROUP BY"
                + " ALL ORDER BY ALL\n```\n");
    Path recorded = Path.of("..", "examples", "recorded-capture").toAbsolutePath().normalize();
    String db = out.resolve("data/store.duckdb").toString();
    String keys = out.resolve("keys").toString();
    Map<String, String> environment = new HashMap<>(env);
    environment.putIfAbsent("TRACEFIX_GROUP_READ", null);
    environment.put("TRACEFIX_KEYS", keys);
    List<List<String>> commands =
        List.of(
            List.of("import", "--db", db, "--parquet", recorded.toString()),
            List.of(
                "export",
                "--db",
                db,
                "--parquet",
                out.resolve("export").toString(),
                "--keys",
                keys),
            List.of(
                "report",
                notebook.toString(),
                "--db",
                db,
                "--out",
                out.resolve("reports/review.md").toString(),
                "--keys",
                keys),
            List.of(
                "report",
                notebook.toString(),
                "--db",
                db,
                "--out",
                out.resolve("reports/review.html").toString(),
                "--keys",
                keys),
            // A file only DuckDB touches, which no Java code tightens afterwards: its mode is
            // the umask's doing alone.
            List.of(
                "sql",
                "--db",
                db,
                "COPY (SELECT 42 AS answer) TO '" + out.resolve("reports/answer.csv") + "'"));
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(flags);
      args.addAll(command);
      Files.createDirectories(home);
      try (CliProcess cli = CliProcess.start(home, environment, args.toArray(String[]::new))) {
        int exit = cli.awaitExit();
        assertEquals(0, exit, args + "\n" + cli.out() + cli.err());
      }
    }
    assertTrue(Files.exists(out.resolve("export/captures")), "the export wrote Parquet");
    assertTrue(Files.exists(out.resolve("reports/review.html")));
    assertTrue(Files.exists(out.resolve("reports/answer.csv")), "DuckDB wrote a file itself");
    return out;
  }

  /** Every file and folder under {@code root} (not root itself): counts per kind checked. */
  private static Map<String, Integer> assertModes(Path root, String file, String folder)
      throws IOException {
    Map<String, Integer> checked = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    Path home = root.resolve("home");
    Path keys = root.resolve("keys");
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(p -> !p.equals(root) && !p.equals(home)).toList()) {
        boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        boolean key = p.startsWith(keys);
        String want = key ? (isDir ? PRIVATE_DIR : PRIVATE_FILE) : isDir ? folder : file;
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        if (!mode.equals(want)) {
          wrong.add(root.relativize(p) + " is " + mode + ", want " + want);
        }
        String kind = (key ? "key " : "") + (isDir ? "folders" : "files");
        checked.merge(kind, 1, Integer::sum);
      }
    }
    assertEquals(List.of(), wrong, "modes under " + root);
    assertTrue(checked.getOrDefault("files", 0) >= 5, checked.toString());
    return checked;
  }

  /**
   * Makes {@code folder} setgid (2750) and, as root, hands it a group other than ours; returns that
   * group, or null when only our own group is possible (then only the modes are checked).
   */
  private static GroupPrincipal shareWithAGroup(Path folder) throws Exception {
    GroupPrincipal group = null;
    if ("root".equals(System.getProperty("user.name"))) {
      group =
          folder
              .getFileSystem()
              .getUserPrincipalLookupService()
              .lookupPrincipalByGroupName("daemon");
      Files.getFileAttributeView(folder, PosixFileAttributeView.class).setGroup(group);
    }
    Process chmod = new ProcessBuilder("chmod", "2750", folder.toString()).inheritIO().start();
    assertEquals(0, chmod.waitFor());
    return group;
  }

  /**
   * Everything below {@code root} has its group, and every folder kept the setgid bit; but the key
   * store, which is 0700 (no setgid) and 0600 whatever the option, so its group grants nothing.
   */
  private static void assertGroup(Path root, GroupPrincipal group) throws IOException {
    List<String> wrong = new ArrayList<>();
    Path home = root.resolve("home");
    Path keys = root.resolve("keys");
    int checked = 0;
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(p -> !p.startsWith(home) && !p.startsWith(keys)).toList()) {
        checked++;
        PosixFileAttributes a =
            Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.group().equals(group)) {
          wrong.add(root.relativize(p) + " has group " + a.group().getName());
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory() && (mode & 02000) == 0) {
          wrong.add(root.relativize(p) + " lost the setgid bit");
        }
      }
    }
    assertEquals(List.of(), wrong, "groups under " + root);
    System.out.println(
        "WrittenFileModesTest: "
            + checked
            + " paths under a setgid folder of group "
            + group.getName()
            + " have that group; folders kept setgid");
  }
}
