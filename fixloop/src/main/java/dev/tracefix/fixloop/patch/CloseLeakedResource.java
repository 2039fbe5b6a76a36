package dev.tracefix.fixloop.patch;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * For a resource leak in Java: closes a resource the culprit opened, with try-with-resources.
 *
 * <p>Looks only at the site the culprit changed: local variables declared on lines the culprit
 * added (and still there at the bad commit) whose initializer opens something closeable (a {@code
 * new FileInputStream(...)}, {@code Files.newBufferedReader(...)}, a socket, a JDBC connection...),
 * that are not already a try resource, not closed in their block, and do not escape it (returned,
 * stored, handed on). The declaration and the rest of its block become {@code try (DECLARATION) {
 * REST }}: the variable's scope is the same, and it is closed on every way out. Parsed with the
 * JDK's own compiler tree API ({@code jdk.compiler}), not regexes.
 */
public final class CloseLeakedResource implements PatchStrategy {
  public static final String NAME = "close-leaked-resource";

  private static final Pattern CLOSEABLE_TYPE =
      Pattern.compile(
          ".*(InputStream|OutputStream|Reader|Writer|Socket|Channel|Connection|Statement|ResultSet|Scanner"
              + "|ZipFile|JarFile|RandomAccessFile|PrintStream|Formatter|DirectoryStream)(<.*>)?");
  private static final Set<String> OPENING_METHODS =
      Set.of(
          "newInputStream",
          "newOutputStream",
          "newBufferedReader",
          "newBufferedWriter",
          "newByteChannel",
          "newDirectoryStream",
          "lines",
          "list",
          "walk",
          "find",
          "getConnection",
          "openStream",
          "openConnection",
          "open",
          "prepareStatement",
          "createStatement",
          "executeQuery",
          "accept");

  /** A leaked local: its declaration statement and the block it lives in. */
  record Leak(VariableTree variable, BlockTree block, int index) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Proposal propose(PatchContext context) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      return Proposal.none(
          "this Java runtime has no compiler (jdk.compiler) to parse sources with");
    }
    List<Candidate> candidates = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean anyJava = false;
    for (CulpritChange.FileChange file : context.change().files()) {
      if (file.after() == null || !file.newPath().endsWith(".java")) {
        continue;
      }
      anyJava = true;
      Optional<String> atBad = context.fileAtBad(file.newPath());
      if (atBad.isEmpty()) {
        notes.add(file.newPath() + ": gone at the bad commit");
        continue;
      }
      Set<String> added = new HashSet<>();
      for (var edit : file.edits()) {
        for (int i = edit.getBeginB(); i < edit.getEndB(); i++) {
          added.add(file.after().get(i).strip());
        }
      }
      if (file.before() == null) {
        file.after().forEach(l -> added.add(l.strip()));
      }
      String source = atBad.get();
      for (Fix fix : fixes(javac, source, added)) {
        candidates.add(
            new Candidate(
                NAME,
                "close '" + fix.variable() + "' with try-with-resources in " + file.newPath(),
                List.of(FileEdit.write(file.newPath(), fix.source())),
                List.of(
                    file.newPath()
                        + ":"
                        + fix.line()
                        + ": "
                        + fix.declaration()
                        + " was never closed")));
      }
    }
    if (!anyJava) {
      return Proposal.none("the culprit changes no Java source");
    }
    if (candidates.isEmpty()) {
      notes.add("no closeable local opened on a line the culprit added is left unclosed");
    }
    return new Proposal(candidates, notes);
  }

  /** A rewrite of one leak: the new file text. */
  record Fix(String variable, String declaration, long line, String source) {}

  static List<Fix> fixes(JavaCompiler javac, String source, Set<String> addedLines) {
    JavaFileObject file =
        new SimpleJavaFileObject(URI.create("string:///Source.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    JavacTask task =
        (JavacTask)
            javac.getTask(null, null, diagnostic -> {}, List.of("-proc:none"), null, List.of(file));
    List<Fix> fixes = new ArrayList<>();
    try {
      for (CompilationUnitTree unit : task.parse()) {
        SourcePositions positions = Trees.instance(task).getSourcePositions();
        LineMap lines = unit.getLineMap();
        List<Leak> leaks = new ArrayList<>();
        new TreeScanner<Void, Void>() {
          @Override
          public Void visitBlock(BlockTree block, Void unused) {
            List<? extends StatementTree> statements = block.getStatements();
            for (int i = 0; i < statements.size(); i++) {
              if (statements.get(i) instanceof VariableTree variable && opensResource(variable)) {
                long start = positions.getStartPosition(unit, variable);
                long end = positions.getEndPosition(unit, variable);
                String declaration = source.substring((int) start, (int) end).strip();
                boolean changed =
                    addedLines.stream()
                            .anyMatch(
                                l -> !l.isEmpty() && declaration.startsWith(l.replaceAll(";$", "")))
                        || addedLines.contains(lineText(source, lines, start).strip());
                if (changed
                    && !closedOrEscapes(
                        variable.getName().toString(),
                        statements.subList(i + 1, statements.size()),
                        source,
                        unit,
                        positions)) {
                  leaks.add(new Leak(variable, block, i));
                }
              }
            }
            return super.visitBlock(block, unused);
          }
        }.scan(unit, null);
        for (Leak leak : leaks) {
          fixes.add(rewrite(source, unit, positions, lines, leak));
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    // Each fix rewrites the file on its own; the first one is the candidate for each leak.
    return fixes;
  }

  private static boolean opensResource(VariableTree variable) {
    ExpressionTree init = variable.getInitializer();
    if (init == null) {
      return false;
    }
    String declared = variable.getType() == null ? "" : variable.getType().toString();
    if (init instanceof NewClassTree created) {
      return CLOSEABLE_TYPE.matcher(created.getIdentifier().toString()).matches()
          || CLOSEABLE_TYPE.matcher(declared).matches();
    }
    if (init instanceof MethodInvocationTree call
        && call.getMethodSelect() instanceof MemberSelectTree select) {
      return OPENING_METHODS.contains(select.getIdentifier().toString())
          && (CLOSEABLE_TYPE.matcher(declared).matches()
              || declared.startsWith("Stream")
              || declared.equals("var"));
    }
    return false;
  }

  /**
   * Closed later in the block, or handed somewhere that may close it later (returned, stored,
   * passed on).
   */
  private static boolean closedOrEscapes(
      String name,
      List<? extends StatementTree> rest,
      String source,
      CompilationUnitTree unit,
      SourcePositions positions) {
    Pattern closed = Pattern.compile("\\b" + Pattern.quote(name) + "\\s*\\.\\s*close\\s*\\(");
    Pattern returned = Pattern.compile("\\breturn\\s+" + Pattern.quote(name) + "\\s*;");
    Pattern stored = Pattern.compile("=\\s*" + Pattern.quote(name) + "\\s*;");
    Pattern passedToKeeper =
        Pattern.compile(
            "\\.(add|put|offer|push|set|register)\\s*\\([^;]*\\b" + Pattern.quote(name) + "\\b");
    for (StatementTree s : rest) {
      String text =
          source.substring(
              (int) positions.getStartPosition(unit, s), (int) positions.getEndPosition(unit, s));
      if (closed.matcher(text).find()
          || returned.matcher(text).find()
          || stored.matcher(text).find()
          || passedToKeeper.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  private static Fix rewrite(
      String source,
      CompilationUnitTree unit,
      SourcePositions positions,
      LineMap lines,
      Leak leak) {
    VariableTree variable = leak.variable();
    int declStart = (int) positions.getStartPosition(unit, variable);
    int declEnd = (int) positions.getEndPosition(unit, variable); // after the ';'
    int blockEnd = (int) positions.getEndPosition(unit, leak.block()) - 1; // the closing '}'
    int lineStart = source.lastIndexOf('\n', declStart - 1) + 1;
    String indent = source.substring(lineStart, declStart);
    String declaration = source.substring(declStart, declEnd).strip();
    String resource =
        declaration.endsWith(";")
            ? declaration.substring(0, declaration.length() - 1).strip()
            : declaration;
    // The rest of the block: from after the declaration's line to the line of the closing brace.
    int restStart = source.indexOf('\n', declEnd - 1) + 1;
    int closingLineStart = source.lastIndexOf('\n', blockEnd - 1) + 1;
    String rest =
        restStart <= closingLineStart ? source.substring(restStart, closingLineStart) : "";
    StringBuilder body = new StringBuilder();
    for (String line : rest.split("(?<=\n)")) {
      body.append(line.isBlank() ? line : "  " + line);
    }
    String replacement = indent + "try (" + resource + ") {\n" + body + indent + "}\n";
    String fixed =
        source.substring(0, lineStart) + replacement + source.substring(closingLineStart);
    return new Fix(
        variable.getName().toString(), declaration, lines.getLineNumber(declStart), fixed);
  }

  private static String lineText(String source, LineMap lines, long position) {
    int start = source.lastIndexOf('\n', (int) position - 1) + 1;
    int end = source.indexOf('\n', (int) position);
    return source.substring(start, end < 0 ? source.length() : end);
  }
}
