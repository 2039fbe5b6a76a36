package dev.tracefix.server.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every notebook the repository ships parses and saves back byte for byte. */
public class NotebookRepositoryFilesTest {

  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("notebooks"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no notebooks/ folder above "
              + Path.of("").toAbsolutePath()
              + ": run from the repository");
    }
    return dir;
  }

  @Test
  void everyRepositoryNotebookSavesBackByteForByte() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(repositoryRoot().resolve("notebooks"))) {
      files = walk.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "notebooks/ holds no .md file");
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      Notebook notebook =
          NotebookParser.parse(
              file.getFileName().toString(), new String(bytes, StandardCharsets.UTF_8));
      assertArrayEquals(bytes, notebook.text().getBytes(StandardCharsets.UTF_8), file.toString());
    }
  }
}
