package dev.tracefix.server.query;

import dev.tracefix.server.ServerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The saved queries of one folder ({@code queries/} in the checkout), by name. */
public final class SavedQueries {
  private final Path dir;

  public SavedQueries(Path dir) {
    this.dir = dir;
  }

  /** Every {@code .sql} file of the folder, parsed, by name. */
  public List<SavedQuery> list() {
    if (!Files.isDirectory(dir)) {
      return List.of(); // a notebook folder without saved queries has none to offer, not an error
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".sql"))
          .sorted()
          .map(SavedQuery::read)
          .toList();
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot list saved queries in " + dir + ": " + e.getMessage());
    }
  }

  /** The query {@code name} ({@code error-bursts} or {@code error-bursts.sql}). */
  public SavedQuery get(String name) {
    String file = name.endsWith(".sql") ? name : name + ".sql";
    Path path = dir.resolve(file);
    if (file.contains("/") || !Files.isRegularFile(path)) {
      throw new ServerException(
          ServerException.Kind.NOT_FOUND,
          "no saved query " + name + " in " + dir + "; list them with: tracefix query --list");
    }
    return SavedQuery.read(path);
  }
}
