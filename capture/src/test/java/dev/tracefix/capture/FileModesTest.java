package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tracefix.capture.ffm.ProcessUmask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModesTest {
  @TempDir Path dir;

  @Test
  void theEnvironmentSwitchReadsOneAndZeroAndRefusesAnythingElse() {
    assertEquals(FileModes.PRIVATE, FileModes.of(null));
    assertEquals(FileModes.PRIVATE, FileModes.of("0"));
    assertEquals(FileModes.GROUP_READ, FileModes.of("1"));
    assertEquals(FileModes.GROUP_READ, FileModes.of(" yes "));
    CaptureException e = assertThrows(CaptureException.class, () -> FileModes.of("group"));
    assertEquals(CaptureException.Kind.USER, e.kind());
  }

  @Test
  void tighteningRemovesBitsButNeverAddsAny() throws Exception {
    Path wide = Files.createFile(dir.resolve("wide"));
    Files.setPosixFilePermissions(wide, PosixFilePermissions.fromString("rw-rw-r--"));
    Path narrow = Files.createFile(dir.resolve("narrow"));
    Files.setPosixFilePermissions(narrow, PosixFilePermissions.fromString("r--------"));
    Path folder = Files.createDirectory(dir.resolve("folder"));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxr-x"));
    FileModes.GROUP_READ.tightenTree(dir);
    assertEquals("rw-r-----", mode(wide));
    assertEquals("r--------", mode(narrow));
    assertEquals("rwxr-x---", mode(folder));
    FileModes.PRIVATE.tighten(wide);
    assertEquals("rw-------", mode(wide));
  }

  @Test
  void theUmaskIsSetThroughFfmAndDecidesTheModeOfNewFiles() throws Exception {
    int before = ProcessUmask.set(0077);
    try {
      Path file = Files.createFile(dir.resolve("under-077"));
      assertEquals("rw-------", mode(file));
      assertEquals(0077, ProcessUmask.set(0027));
      Path folder = Files.createDirectory(dir.resolve("under-027"));
      assertEquals("rwxr-x---", mode(folder));
    } finally {
      ProcessUmask.set(before);
    }
    assertThrows(IllegalArgumentException.class, () -> ProcessUmask.set(01777));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
