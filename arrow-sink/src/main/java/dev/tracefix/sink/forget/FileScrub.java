package dev.tracefix.sink.forget;

import dev.tracefix.sink.SinkException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Rewrites a closed DuckDB file into a fresh one. DuckDB marks deleted rows and frees their blocks
 * but does not overwrite them (not even after CHECKPOINT or VACUUM), so deleted values would stay
 * readable in the file's bytes; copying the live database into a new file and renaming it over the
 * old one leaves nothing of them behind.
 */
public final class FileScrub {
  private FileScrub() {}

  public static void rewrite(Path dbFile) {
    Path temp = dbFile.resolveSibling(dbFile.getFileName() + ".scrub");
    Path tempWal = temp.resolveSibling(temp.getFileName() + ".wal");
    try {
      Files.deleteIfExists(temp);
      Files.deleteIfExists(tempWal);
      try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
          Statement statement = connection.createStatement()) {
        statement.execute("ATTACH " + literal(dbFile) + " AS tracefix_src (READ_ONLY)");
        statement.execute("ATTACH " + literal(temp) + " AS tracefix_dst");
        statement.execute("COPY FROM DATABASE tracefix_src TO tracefix_dst");
        statement.execute("DETACH tracefix_dst");
        statement.execute("DETACH tracefix_src");
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, dbFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(dbFile.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (SQLException | IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "deleted rows are gone from the tables of "
              + dbFile
              + ", but rewriting the file to"
              + " overwrite their old bytes failed (close every connection to it and run the"
              + " deletion again): "
              + e.getMessage(),
          e);
    }
  }

  private static String literal(Path path) {
    return "'" + path.toString().replace("'", "''") + "'";
  }
}
