package dev.tracefix.server.kernel.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Finished live captures that notebook databases attach read-only, each as a catalog of its own
 * ({@code live_1.events}, ...), beside the store.
 *
 * <p>A live capture writes a DuckDB file of its own in {@link #folder}: every notebook database
 * attaches the store read-only, and DuckDB lets no database hold a file writable while another in
 * the process holds it read-only, so a capture never writes the store itself. Once its file is
 * closed it is added here, and each notebook database attaches it on its next connection: a locked
 * database can still attach it because {@link SqlLock#apply} lets DuckDB read this folder, while
 * the cells' statement guard ({@link LockedStatements}) still refuses every file {@code ATTACH} and
 * every folder but the exports one, so only the server attaches.
 */
public final class AttachedCaptures {
  private static final Pattern CATALOG = Pattern.compile("live_[0-9]+");

  /** One finished capture: its catalog name in notebook databases and its DuckDB file. */
  public record Attached(String catalog, Path file) {
    public Attached {
      if (!CATALOG.matcher(catalog).matches()) {
        throw new IllegalArgumentException("not a live capture catalog: " + catalog);
      }
      file = file.toAbsolutePath().normalize();
    }
  }

  private final Path folder;
  private final List<Attached> finished = new CopyOnWriteArrayList<>();

  /** Captures whose files live in {@code folder}. */
  public AttachedCaptures(Path folder) {
    this.folder = folder.toAbsolutePath().normalize();
  }

  /** Where live captures write their files. */
  public Path folder() {
    return folder;
  }

  /** Makes a closed capture file visible to every notebook database from its next connection. */
  public void add(Attached capture) {
    if (!capture.file().startsWith(folder)) {
      throw new IllegalArgumentException("a live capture's file must be in " + folder);
    }
    finished.add(capture);
  }

  public List<Attached> finished() {
    return List.copyOf(finished);
  }

  /**
   * Attaches, on the database behind {@code root}, every finished capture not in {@code done} yet,
   * and records it there. The caller holds the database's monitor.
   */
  void attachNew(Connection root, Set<String> done) throws SQLException {
    for (Attached capture : finished) {
      if (done.contains(capture.catalog())) {
        continue;
      }
      try (Statement s = root.createStatement()) {
        s.execute(
            "ATTACH '"
                + capture.file().toString().replace("'", "''")
                + "' AS "
                + capture.catalog()
                + " (READ_ONLY)");
      }
      done.add(capture.catalog());
    }
  }
}
