package dev.tracefix.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedQueriesTest {
  @TempDir Path dir;

  @Test
  void aProjectWithoutAQueriesFolderHasNoSavedQueriesRatherThanAnError() throws Exception {
    assertEquals(List.of(), new SavedQueries(dir.resolve("queries")).list());
    Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        dir.resolve("queries/one.sql"), "-- title: one\n-- parameters: none\nSELECT 1\n");
    assertEquals(1, new SavedQueries(dir.resolve("queries")).list().size());
  }
}
