package dev.tracefix.server.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tracefix.server.ServerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: every file under {@code notebook/good} saves back byte for byte and parses into the
 * cells listed in its {@code .cells} file; every file under {@code notebook/broken} is rejected
 * with its file name, line and reason. Run with {@code -Dtracefix.updateGoldens=true} to rewrite
 * the {@code .cells} files after an intended change, then review the diff.
 */
class NotebookParserTest {
  static final Path GOLDEN = Path.of("src/test/resources/notebook");

  static Stream<Path> goodFiles() throws IOException {
    try (Stream<Path> files = Files.list(GOLDEN.resolve("good"))) {
      return files.filter(p -> p.toString().endsWith(".md")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("goodFiles")
  void goodFilesSaveBackByteForByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Notebook notebook =
        NotebookParser.parse(
            file.getFileName().toString(), new String(bytes, StandardCharsets.UTF_8));
    assertEquals(new String(bytes, StandardCharsets.UTF_8), notebook.text());
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        bytes, notebook.text().getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("goodFiles")
  void goodFilesParseIntoTheGoldenCells(Path file) throws IOException {
    Notebook notebook = NotebookParser.parse(file.getFileName().toString(), Files.readString(file));
    String described = describe(notebook);
    Path golden = file.resolveSibling(file.getFileName().toString().replace(".md", ".cells"));
    if (Boolean.getBoolean("tracefix.updateGoldens")) {
      Files.writeString(golden, described);
    }
    assertEquals(Files.readString(golden), described);
  }

  /** One line per cell: line, id, kind, attributes, then the source or the action body. */
  static String describe(Notebook notebook) {
    return notebook.cells().stream()
        .map(
            c ->
                c.line()
                    + " "
                    + c.id()
                    + " "
                    + c.kind().word()
                    + " "
                    + c.attributes()
                    + c.actionBody()
                        .map(b -> " body=" + b.entries())
                        .orElse(" source=" + c.source().replace("\r", "\\r").replace("\n", "\\n")))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "unclosed-fence.md|unclosed-fence.md:3: fence ``` is never closed (add a closing fence of at least the same length)",
        "bad-attribute.md|bad-attribute.md:3: attribute '{.highlight}' is not key=value or key=\"value\"",
        "duplicate-name.md|duplicate-name.md:5: cell name 'retx' is already used by the cell on line 1",
        "bad-action-line.md|bad-action-line.md:3: bisect cell body lines must be 'key: value' (or blank, or a # comment), got: this line has no colon",
        "unclosed-quote.md|unclosed-quote.md:1: attribute 'title' has an unclosed quote",
        "name-not-identifier.md|name-not-identifier.md:5: name='my-result' is not an identifier (letters, digits, _; not starting with a digit)",
        "duplicate-action-key.md|duplicate-action-key.md:3: key 'input' is already set on line 2 of this cell",
        "front-matter-duplicate-key.md|front-matter-duplicate-key.md:4: front matter is not valid YAML: found duplicate key window",
      })
  void brokenFilesAreRejectedWithFileLineAndReason(String name, String message) throws IOException {
    String text = Files.readString(GOLDEN.resolve("broken").resolve(name));
    ServerException e = assertThrows(ServerException.class, () -> NotebookParser.parse(name, text));
    assertEquals(ServerException.Kind.MALFORMED, e.kind());
    assertEquals(message, e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void editingACellRewritesOnlyThatCellAndGrowsTheFenceWhenNeeded() throws IOException {
    String text = Files.readString(GOLDEN.resolve("good/basic.md"));
    Notebook notebook = NotebookParser.parse("basic.md", text);
    Notebook edited = notebook.withCellSource("cell-4", "SELECT '```'\n```\nSELECT 2");
    String expected =
        text.replace("```sql\nSELECT 1\n```\n", "````sql\nSELECT '```'\n```\nSELECT 2\n````\n");
    assertEquals(expected, edited.text());
    assertEquals("SELECT '```'\n```\nSELECT 2", edited.cell("cell-4").orElseThrow().source());
    assertEquals(
        notebook.text(),
        notebook
            .withCellSource("failures", notebook.cell("failures").orElseThrow().source())
            .text());
  }

  @org.junit.jupiter.api.Test
  void anEditThatBreaksAnActionBodyIsRejected() throws IOException {
    Notebook notebook =
        NotebookParser.parse("basic.md", Files.readString(GOLDEN.resolve("good/basic.md")));
    ServerException e =
        assertThrows(
            ServerException.class, () -> notebook.withCellSource("cell-3", "question why"));
    assertEquals(ServerException.Kind.MALFORMED, e.kind());
    assertEquals(
        List.of(
            "basic.md:24: ask cell body lines must be 'key: value' (or blank, or a # comment), got: question why"),
        List.of(e.getMessage()));
  }

  @ParameterizedTest
  @CsvSource({
    "SQL, sql",
    "Sql, sql",
    "sqll, sql",
    "jav, java",
    "bisec, bisect",
    "pach, patch",
  })
  void aMisspeltCellKindWarnsWithItsLineAndTheKnownKinds(String word, String meant) {
    String text = "# t\n\n```" + word + "\nSELECT 1\n```\n";
    assertEquals(
        List.of(
            "nb.md:3: '"
                + word
                + "' is not a cell kind (did you mean '"
                + meant
                + "'?), so this"
                + " block is prose and never runs; cell kinds: sql, java, ask, capture, minimize,"
                + " bisect, patch"),
        NotebookParser.warnings("nb.md", text));
    assertEquals(List.of(), NotebookParser.parse("nb.md", text).cells());
  }

  @ParameterizedTest
  @CsvSource({"text", "sh", "bash", "json", "yaml", "psql", "''", "diff", "console", "ask2x"})
  void anOrdinaryFenceStaysProseWithoutAWarning(String word) {
    String text = "```" + word + "\nsome text\n```\n\n```sql\nSELECT 1\n```\n";
    assertEquals(List.of(), NotebookParser.warnings("nb.md", text));
    assertEquals(1, NotebookParser.parse("nb.md", text).cells().size());
  }
}
