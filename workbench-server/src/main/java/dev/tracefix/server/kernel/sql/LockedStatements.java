package dev.tracefix.server.kernel.sql;

import dev.tracefix.server.kernel.sql.SqlTokens.Kind;
import dev.tracefix.server.kernel.sql.SqlTokens.Token;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a locked notebook may not run even where DuckDB's own lock would let it: a statement that
 * writes a file must name it as a literal inside an allowed folder (DuckDB also lets it write the
 * database's own files); {@code IMPORT DATABASE} runs SQL read from a file; {@code ATTACH} of a
 * file opens another database; extensions are not installed or loaded. {@code PREPARE} is checked
 * by what it prepares, so {@code EXECUTE} runs only what passed.
 *
 * <p>The text is cut into statements exactly where DuckDB would cut it ({@link SqlTokens}), since
 * DuckDB runs every statement of a string it is given.
 */
final class LockedStatements {
  private static final String EXTENSIONS = "SQL cells cannot install or load extensions";

  private final SqlLock lock;

  LockedStatements(SqlLock lock) {
    this.lock = lock;
  }

  /** Why {@code sql} may not run, or empty if it may. */
  Optional<String> refusal(String sql) {
    List<Token> tokens = SqlTokens.of(sql);
    List<Token> statement = new ArrayList<>();
    for (Token token : tokens) {
      if (token.kind() == Kind.SEMICOLON) {
        Optional<String> why = check(sql, statement);
        if (why.isPresent()) {
          return why;
        }
        statement.clear();
      } else {
        statement.add(token);
      }
    }
    return check(sql, statement);
  }

  private Optional<String> check(String sql, List<Token> tokens) {
    int at = skipExplain(tokens);
    if (at >= tokens.size()) {
      return Optional.empty();
    }
    String keyword =
        tokens.get(at).kind() == Kind.WORD ? tokens.get(at).value().toUpperCase(Locale.ROOT) : "";
    List<Token> rest = tokens.subList(at + 1, tokens.size());
    return switch (keyword) {
      case "COPY" -> copy(rest);
      case "EXPORT" -> target("EXPORT DATABASE", firstLiteral(rest));
      case "IMPORT" -> Optional.of("IMPORT DATABASE runs the SQL it reads from files");
      case "ATTACH" -> attach(rest);
      case "INSTALL", "LOAD" -> Optional.of(EXTENSIONS);
      case "FORCE" -> startsWith(rest, "INSTALL") ? Optional.of(EXTENSIONS) : Optional.empty();
      case "UPDATE" -> startsWith(rest, "EXTENSIONS") ? Optional.of(EXTENSIONS) : Optional.empty();
      case "PREPARE" -> prepared(sql, rest);
      default -> Optional.empty();
    };
  }

  /** {@code EXPLAIN ANALYZE} runs the statement it explains: look at that statement. */
  private static int skipExplain(List<Token> tokens) {
    int at = 0;
    if (at < tokens.size() && tokens.get(at).isWord("EXPLAIN")) {
      at++;
      if (at < tokens.size() && tokens.get(at).kind() == Kind.OPEN) {
        at = afterParentheses(tokens, at);
      }
      if (at < tokens.size()
          && (tokens.get(at).isWord("ANALYZE") || tokens.get(at).isWord("ANALYSE"))) {
        at++;
      }
    }
    return at;
  }

  /** {@code COPY x TO target}: the target must be a literal inside an allowed folder. */
  private Optional<String> copy(List<Token> rest) {
    int depth = 0;
    for (int i = 0; i < rest.size(); i++) {
      Token token = rest.get(i);
      if (token.kind() == Kind.OPEN) {
        depth++;
      } else if (token.kind() == Kind.CLOSE) {
        depth--;
      } else if (depth == 0 && token.isWord("TO")) {
        Token target = i + 1 < rest.size() ? rest.get(i + 1) : null;
        Token after = i + 2 < rest.size() ? rest.get(i + 2) : null;
        // A literal followed by an operator would be an expression ('a' || 'b'): not a literal.
        boolean plain =
            isLiteral(target)
                && (after == null || after.kind() == Kind.OPEN || after.kind() == Kind.WORD);
        return target("COPY ... TO", plain ? Optional.of(target) : Optional.empty());
      }
    }
    return Optional.empty(); // COPY ... FROM reads: DuckDB's lock decides
  }

  private Optional<String> attach(List<Token> rest) {
    Optional<Token> target = firstLiteral(rest);
    if (target.isPresent() && target.get().value().equals(":memory:")) {
      return Optional.empty();
    }
    return Optional.of("SQL cells cannot ATTACH database files (':memory:' is allowed)");
  }

  /** {@code PREPARE name AS statement}: the statement is checked now, so EXECUTE is safe. */
  private Optional<String> prepared(String sql, List<Token> rest) {
    for (Token token : rest) {
      if (token.isWord("AS")) {
        int end = rest.getLast().end();
        return refusal(sql.substring(token.end(), end));
      }
    }
    return Optional.empty();
  }

  private Optional<String> target(String what, Optional<Token> literal) {
    if (literal.isEmpty()) {
      return Optional.of(what + " must name its file as a quoted path in " + lock.folders());
    }
    String name = literal.get().value();
    if (insideAllowed(name)) {
      return Optional.empty();
    }
    return Optional.of(what + " writes only inside " + lock.folders() + ", not '" + name + "'");
  }

  private boolean insideAllowed(String name) {
    if (name.startsWith("~") || name.contains("://")) {
      return false; // DuckDB expands ~ and reads URLs: neither is a plain local path
    }
    try {
      Path path = Path.of(name);
      Path absolute =
          path.isAbsolute() ? path : Path.of(System.getProperty("user.dir")).resolve(path);
      Path normal = absolute.normalize();
      return lock.allowedDirectories().stream().anyMatch(normal::startsWith);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static boolean startsWith(List<Token> tokens, String word) {
    return !tokens.isEmpty() && tokens.getFirst().isWord(word);
  }

  private static Optional<Token> firstLiteral(List<Token> tokens) {
    return tokens.stream().filter(LockedStatements::isLiteral).findFirst();
  }

  private static boolean isLiteral(Token token) {
    return token != null && (token.kind() == Kind.STRING || token.kind() == Kind.QUOTED_NAME);
  }

  private static int afterParentheses(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).kind() == Kind.OPEN) {
        depth++;
      } else if (tokens.get(i).kind() == Kind.CLOSE && --depth == 0) {
        return i + 1;
      }
    }
    return tokens.size();
  }
}
