package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.UprobeTarget;
import dev.tracefix.sink.schema.StoreSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The READMEs say what the code does. Every fenced block whose info string is {@code sh runnable}
 * runs, command by command as written, from a copy of the checkout's layout where {@code
 * ./tracefix} is this build's CLI (not the launcher, which would build); the facts READMEs state
 * about the code (schema version, help lines, the uprobe example, how to run a module's tests) are
 * checked against it.
 */
class DocsTest {
  private static final Path HOME = ProjectPaths.home();
  private static final Pattern RUNNABLE = Pattern.compile("(?ms)^```sh runnable\\n(.*?)^```\\s*$");

  @TempDir Path dir;

  /** A runnable block: its README and the commands it holds. */
  record Block(String readme, String text) {
    @Override
    public String toString() {
      return readme + ": " + text.lines().findFirst().orElse("");
    }
  }

  static List<Path> readmes() throws IOException {
    List<Path> files = new ArrayList<>(List.of(HOME.resolve("README.md")));
    try (Stream<Path> dirs = Files.list(HOME)) {
      dirs.map(d -> d.resolve("README.md"))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(files::add);
    }
    return files;
  }

  static List<Block> runnableBlocks() throws IOException {
    List<Block> blocks = new ArrayList<>();
    for (Path readme : readmes()) {
      Matcher m = RUNNABLE.matcher(Files.readString(readme));
      while (m.find()) {
        blocks.add(new Block(HOME.relativize(readme).toString(), m.group(1)));
      }
    }
    return blocks;
  }

  @Test
  void theReadmesHaveRunnableBlocks() throws IOException {
    assertTrue(runnableBlocks().size() >= 2, runnableBlocks().toString());
  }

  @ParameterizedTest
  @MethodSource("runnableBlocks")
  void everyRunnableReadmeBlockRunsAsWritten(Block block) throws Exception {
    assertFalse(
        block.text().matches("(?s).*tracefix (demo|capture)\\b.*"),
        "runnable blocks stay cheap: no capture, no demo: " + block);
    Path root = Files.createDirectories(dir.resolve("checkout"));
    for (String shared : List.of("examples", "queries", "notebooks", "policies")) {
      Files.createSymbolicLink(root.resolve(shared), HOME.resolve(shared));
    }
    Path shim = root.resolve("tracefix");
    Files.writeString(
        shim,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "'"
            + " --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
            + " --sun-misc-unsafe-memory-access=allow -Dtracefix.home='"
            + HOME
            + "'"
            + " -cp '"
            + System.getProperty("java.class.path")
            + "'"
            + " dev.tracefix.server.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path log = dir.resolve("out.txt");
    ProcessBuilder bash =
        new ProcessBuilder("bash", "-euxo", "pipefail", "-c", block.text())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    bash.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    Process process = bash.start();
    boolean done = process.waitFor(180, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println("DocsTest " + block + ":\n" + output);
    if (!done) {
      process.destroyForcibly();
    }
    assertTrue(done, "runnable blocks stay cheap: this one ran for 3 minutes: " + block);
    assertEquals(0, process.exitValue(), block + "\n" + output);
  }

  @Test
  void theStoreReadmeNamesTheCurrentSchemaVersion() throws IOException {
    String readme = Files.readString(HOME.resolve("arrow-sink/README.md"));
    int version = StoreSchema.CURRENT_VERSION;
    assertTrue(readme.contains("current `schema_version` = " + version + ";"), "entry points");
    assertTrue(readme.contains("## Schema (version " + version + ";"), "schema heading");
  }

  @Test
  void everyCommandsLineInTheHelpIsAWholeSentence() {
    CommandLine main = Main.commandLine();
    for (var entry : main.getSubcommands().entrySet()) {
      String[] description = entry.getValue().getCommandSpec().usageMessage().description();
      if (description.length == 0) {
        continue; // picocli's own help command
      }
      String first = description[0].strip();
      assertTrue(
          first.endsWith(".") || first.endsWith(")"),
          "tracefix --help shows only the first description line of '"
              + entry.getKey()
              + "', so it must end a sentence: "
              + first);
    }
  }

  @Test
  void theUprobeExampleResolvesOnThisMachine() {
    Path binary = Path.of(UprobeTarget.EXAMPLE.substring(0, UprobeTarget.EXAMPLE.lastIndexOf(':')));
    assumeTrue(Files.exists(binary), "not a Debian-style x86_64 machine: no " + binary);
    // The uprobe is checked before the duration: the refusal names the duration, not the probe.
    CliRun run =
        CliRun.of(
            "capture",
            "--db",
            dir.resolve("x.duckdb").toString(),
            "--uprobe",
            UprobeTarget.EXAMPLE,
            "--duration",
            "0s");
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("capture duration must be positive"), run.err());
    CliRun help = CliRun.of("capture", "--help");
    assertTrue(help.out().replaceAll("\\s+", " ").contains(UprobeTarget.EXAMPLE), help.out());
  }

  @Test
  void readmeMavenCommandsThatTestAModuleAlsoBuildWhatItDependsOn() throws IOException {
    Pattern mvn = Pattern.compile("mvn [^`\\n]*");
    List<String> wrong = new ArrayList<>();
    for (Path readme : readmes()) {
      Matcher m = mvn.matcher(Files.readString(readme));
      while (m.find()) {
        String command = m.group();
        Matcher pl = Pattern.compile("-pl ([\\w,-]+)").matcher(command);
        boolean tests = command.matches(".*\\b(test|verify)\\b.*");
        if (!pl.find() || !tests || command.contains(" -am")) {
          continue;
        }
        for (String module : pl.group(1).split(",")) {
          if (dependsOnOtherModules(module)) {
            wrong.add(HOME.relativize(readme) + ": " + command);
          }
        }
      }
    }
    assertEquals(
        List.of(),
        wrong,
        "-pl MODULE test needs -am, or Maven looks for the other" + " modules' snapshots in ~/.m2");
  }

  private static boolean dependsOnOtherModules(String module) throws IOException {
    String pom = Files.readString(HOME.resolve(module).resolve("pom.xml"));
    Matcher deps = Pattern.compile("(?s)<dependencies>(.*?)</dependencies>").matcher(pom);
    while (deps.find()) {
      if (deps.group(1).contains("<groupId>dev.tracefix</groupId>")) {
        return true;
      }
    }
    return false;
  }
}
