package dev.tracefix.server.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which way the code may depend, read from the main sources of every module (imports and qualified
 * names; comments and string literals left out): modules only on the ones below them, and in the
 * server the packages one way, as its README draws them.
 */
class ImportDirectionTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Each module's base package and the modules it may use; nothing may use a module above it. */
  private static final Map<String, Set<String>> MODULES =
      Map.of(
          "capture", Set.of(),
          "sink", Set.of("capture"),
          "fixloop", Set.of("capture"),
          "server", Set.of("capture", "sink", "fixloop"),
          "bench", Set.of("capture", "sink", "fixloop", "server"));

  /**
   * Server packages that the sessions in {@code run} (and the HTTP and CLI layers above it) use,
   * and that never use those: the notebook format, the kernels, the analyst, the wire messages.
   */
  private static final Set<String> BELOW_RUN =
      Set.of("server.notebook", "server.kernel", "server.analyst", "server.message", "server");

  private static final Set<String> ABOVE = Set.of("server.run", "server.http", "server.cli");

  /**
   * Package cycles that were there before this test and are left to undo, as their sets of
   * packages: one may shrink or go, none may grow, and no new one may appear.
   */
  private static final List<Set<String>> KNOWN_CYCLES =
      List.of(
          Set.of(
              "capture",
              "capture.ffm",
              "capture.pipeline",
              "capture.privacy",
              "capture.privacy.identity",
              "capture.privacy.keys",
              "capture.privacy.policy",
              "capture.probe",
              "capture.proc",
              "capture.stacks",
              "capture.trigger"),
          Set.of("fixloop", "fixloop.bisect", "fixloop.minimize", "fixloop.patch", "fixloop.repro"),
          Set.of("sink", "sink.forget", "sink.parquet", "sink.spool"));

  private static final Pattern PACKAGE =
      Pattern.compile("^package dev\\.tracefix\\.([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.tracefix\\.((?:[a-z_][\\w]*\\.)*[a-z_][\\w]*)\\.[A-Z*]");

  @Test
  void modulesDependOnlyOnTheModulesBelowThem() {
    Map<String, Set<String>> uses = packageUses();
    List<String> wrong = new ArrayList<>();
    uses.forEach(
        (from, targets) -> {
          String module = moduleOf(from);
          for (String to : targets) {
            String target = moduleOf(to);
            if (!target.equals(module) && !MODULES.get(module).contains(target)) {
              wrong.add(from + " -> " + to);
            }
          }
        });
    assertEquals(List.of(), wrong, "packages using a module above or beside their own");
  }

  @Test
  void notebookKernelAnalystAndMessagesNeverUseTheSessionsOrWhatServesThem() {
    List<String> wrong = new ArrayList<>();
    packageUses()
        .forEach(
            (from, targets) -> {
              boolean below =
                  from.equals("server")
                      || BELOW_RUN.stream().anyMatch(p -> !p.equals("server") && within(from, p));
              if (below) {
                for (String to : targets) {
                  if (ABOVE.stream().anyMatch(p -> within(to, p))) {
                    wrong.add(from + " -> " + to);
                  }
                }
              }
            });
    assertEquals(List.of(), wrong, "server packages importing run/, http/ or cli/");
  }

  @Test
  void noPackageCycleAppearsOrGrows() {
    Map<String, Set<String>> uses = packageUses();
    List<Set<String>> cycles = Cycles.of(uses);
    List<String> news = new ArrayList<>();
    for (Set<String> cycle : cycles) {
      if (KNOWN_CYCLES.stream().noneMatch(known -> known.containsAll(cycle))) {
        news.add(new TreeSet<>(cycle).toString());
      }
    }
    System.out.printf(
        "ImportDirectionTest: %d packages, %d cycles: %s%n",
        uses.size(), cycles.size(), cycles.stream().map(TreeSet::new).toList());
    assertEquals(List.of(), news, "package cycles that were not there before");
    assertTrue(
        cycles.stream().noneMatch(c -> c.stream().anyMatch(p -> moduleOf(p).equals("server"))),
        "the server has no package cycle");
  }

  private static boolean within(String pkg, String parent) {
    return pkg.equals(parent) || pkg.startsWith(parent + ".");
  }

  private static String moduleOf(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }

  /** Package (without {@code dev.tracefix.}) → the other tracefix packages its main code names. */
  static Map<String, Set<String>> packageUses() {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .filter(p -> !p.toString().contains("/node_modules/"))
              .toList()) {
        // Comments and string literals out: a class name passed to a child JVM is no import.
        String code =
            Files.readString(file)
                .replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"")
                .replaceAll("//[^\\n]*", "");
        Matcher p = PACKAGE.matcher(code);
        if (!p.find()) {
          continue;
        }
        String pkg = p.group(1);
        Set<String> targets = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher r = REFERENCE.matcher(code);
        while (r.find()) {
          if (!r.group(1).equals(pkg)) {
            targets.add(r.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(uses.size() > 40, "read too few packages under " + ROOT + ": " + uses.keySet());
    for (String module : MODULES.keySet()) {
      assertTrue(uses.keySet().stream().anyMatch(p -> moduleOf(p).equals(module)), module);
    }
    return uses;
  }
}
