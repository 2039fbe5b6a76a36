package dev.tracefix.server.kernel.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The lock on a notebook's database: SQL cells read the event store and keep results in the
 * notebook's own in-memory catalog, but read and write no file outside {@code allowedDirectories},
 * install and load no extension, attach no other database file and change no setting.
 *
 * <p>DuckDB holds these settings per database, not per connection. Every notebook has a database of
 * its own ({@link NotebookDatabase}: in memory, the store attached read-only), and {@link #apply}
 * locks it once the store is attached: its {@code memory_limit} and {@code threads} are the
 * notebook's limits, which its cells cannot change.
 *
 * <p>DuckDB itself always lets the database write its own files (the store, its WAL and temp
 * folder): measured on DuckDB 2.0, a locked connection could still overwrite the store with {@code
 * COPY (SELECT 1) TO 'store.duckdb' (USE_TMP_FILE false)}. {@link #guard} closes that: the
 * statements that write files or run other SQL are checked before DuckDB sees them ({@link
 * LockedStatements}).
 */
public record SqlLock(List<Path> allowedDirectories) {
  static final String UNLOCK_HINT =
      "to unlock, restart the workbench with 'tracefix serve --unlocked'";

  public SqlLock {
    allowedDirectories =
        allowedDirectories.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /**
   * Locks the database behind {@code connection}. The order matters: DuckDB accepts the allowed
   * folders only while external access is on, and nothing at all once the configuration is locked.
   * A database locked before is left as it is, if it is locked the same way.
   */
  public void apply(Connection connection) throws SQLException {
    apply(connection, List.of());
  }

  /**
   * Locks it, letting DuckDB itself (not cells: {@link #guard} still allows only {@code
   * allowedDirectories}) also read {@code serverFolders}, e.g. the live captures the server
   * attaches later ({@link AttachedCaptures}).
   */
  public void apply(Connection connection, List<Path> serverFolders) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (isLocked(statement)) {
        return;
      }
      statement.execute("SET autoinstall_known_extensions = false");
      statement.execute("SET autoload_known_extensions = false");
      statement.execute("SET allowed_directories = " + directoryList(serverFolders));
      statement.execute("SET enable_external_access = false");
      statement.execute("SET lock_configuration = true");
    }
  }

  /** {@code connection} with every statement checked first and DuckDB's refusals explained. */
  public Connection guard(Connection connection) {
    return LockedConnection.wrap(connection, this);
  }

  /** Folders as the message of a refusal names them. */
  String folders() {
    return allowedDirectories.isEmpty()
        ? "(no folder is allowed)"
        : allowedDirectories.stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  /** A refusal of the lock, as a cell shows it: what was refused and how to unlock. */
  SQLException refusal(String what) {
    return new SQLException("the notebook is locked: " + what + "; " + UNLOCK_HINT, "42501");
  }

  private static final Pattern FILE_REFUSED =
      Pattern.compile(
          "Cannot access (?:file|directory) \"([^\"]*)\" - file system operations are"
              + " disabled by configuration");
  private static final Pattern SETTING_REFUSED =
      Pattern.compile(
          "Cannot change configuration option \"+([^\"]*)\"+ - the configuration has"
              + " been locked");

  /** DuckDB's refusals of the lock in words that say the notebook is locked; others unchanged. */
  SQLException explain(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String what = null;
    Matcher file = FILE_REFUSED.matcher(message);
    Matcher setting = SETTING_REFUSED.matcher(message);
    if (file.find()) {
      what =
          "SQL cells read and write files only in " + folders() + ", not \"" + file.group(1) + "\"";
    } else if (message.contains("Loading external extensions is disabled")) {
      what = "SQL cells cannot install or load extensions";
    } else if (setting.find()) {
      what =
          "database settings such as "
              + setting.group(1)
              + " come from the notebook's limits and cannot be changed with SET (set them in the"
              + " notebook's front matter, e.g. 'limits:' then '  memory: 2GB')";
    }
    if (what == null) {
      return e;
    }
    SQLException explained = refusal(what);
    explained.initCause(e);
    return explained;
  }

  private static boolean isLocked(Statement statement) throws SQLException {
    try (ResultSet rs =
        statement.executeQuery(
            "SELECT current_setting('lock_configuration'),"
                + " current_setting('enable_external_access')")) {
      rs.next();
      boolean locked = rs.getBoolean(1);
      if (locked && rs.getBoolean(2)) {
        throw new SQLException(
            "the database's configuration is locked with external access on; notebooks cannot"
                + " lock it");
      }
      return locked;
    }
  }

  /** A DuckDB list literal; a trailing slash, since DuckDB matches these as path prefixes. */
  private String directoryList(List<Path> serverFolders) {
    return java.util.stream.Stream.concat(
            allowedDirectories.stream(),
            serverFolders.stream().map(p -> p.toAbsolutePath().normalize()))
        .map(p -> "'" + (p + "/").replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
