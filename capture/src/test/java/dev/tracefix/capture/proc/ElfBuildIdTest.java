package dev.tracefix.capture.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.NativeBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfBuildIdTest {
  private static final Pattern READELF_BUILD_ID = Pattern.compile("Build ID: ([0-9a-f]+)");

  @TempDir Path dir;

  private static String readelfBuildId(Path elf) throws Exception {
    Matcher m = READELF_BUILD_ID.matcher(NativeBuild.run(List.of("readelf", "-n", elf.toString())));
    assertTrue(m.find(), "readelf -n shows no build id for " + elf);
    return m.group(1);
  }

  @Test
  void readsTheSameBuildIdAsReadelfForBinLs() throws Exception {
    Path ls = Path.of("/bin/ls").toRealPath();
    assertEquals(Optional.of(readelfBuildId(ls)), ElfBuildId.read(ls));
  }

  @Test
  void readsTheSameBuildIdAsReadelfForTheRunningJvm() throws Exception {
    Path self = Path.of("/proc/self/exe");
    assertEquals(Optional.of(readelfBuildId(self.toRealPath())), ElfBuildId.read(self));
  }

  @Test
  void findsAChosenBuildIdInAFreshlyLinkedProgram() throws Exception {
    Path source = Files.writeString(dir.resolve("main.c"), "int main(void) { return 0; }\n");
    Path exe = NativeBuild.gcc(source, dir.resolve("main"), "-Wl,--build-id=0x0123456789abcdef");
    assertEquals(Optional.of("0123456789abcdef"), ElfBuildId.read(exe));
  }

  @Test
  void reportsNoBuildIdForAFileThatIsNotElf() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "not an ELF file at all\n".repeat(8));
    assertEquals(Optional.empty(), ElfBuildId.read(text));
  }

  @Test
  void reportsNoBuildIdForAProgramLinkedWithout() throws Exception {
    Path source = Files.writeString(dir.resolve("main.c"), "int main(void) { return 0; }\n");
    Path exe = NativeBuild.gcc(source, dir.resolve("main"), "-Wl,--build-id=none");
    assertEquals(Optional.empty(), ElfBuildId.read(exe));
  }
}
