package dev.tracefix.server.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.ServerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The notebook format against generated and mutated files: what parses saves back byte for byte,
 * and what does not parse is refused with the file, the line and a reason, never with another
 * exception (the server turns that one into a 400; anything else would be a 500 or worse).
 */
class NotebookFuzzTest {
  private static final String FILE = "fuzz.md";
  private static final Pattern CLEAR_ERROR =
      Pattern.compile("fuzz\\.md:\\d+: \\S.*", Pattern.DOTALL);

  /** A generated notebook and the cells it holds, in order: their ids. */
  record Generated(String text, List<String> cellIds) {}

  @Property(tries = 300)
  void generatedNotebooksSaveBackByteForByteWithTheirCells(
      @ForAll("notebooks") Generated notebook) {
    Notebook parsed = NotebookParser.parse(FILE, notebook.text());
    assertEquals(notebook.text(), parsed.text());
    assertEquals(notebook.cellIds(), parsed.cells().stream().map(Cell::id).toList());
  }

  @Property(tries = 500)
  void arbitraryTextParsesBackOrIsRefusedWithALine(@ForAll("noise") String text) {
    assertParsesBackOrClearError(text);
  }

  @Property(tries = 400)
  void mutatedRealNotebooksParseBackOrAreRefusedWithALine(
      @ForAll("realNotebooks") String original, @ForAll("mutations") List<Mutation> mutations) {
    String text = original;
    for (Mutation m : mutations) {
      text = m.apply(text);
    }
    assertParsesBackOrClearError(text);
  }

  private static void assertParsesBackOrClearError(String text) {
    try {
      assertEquals(text, NotebookParser.parse(FILE, text).text());
      Statistics.collect("parsed back");
    } catch (ServerException e) {
      Statistics.collect("refused with a line");
      assertEquals(ServerException.Kind.MALFORMED, e.kind());
      assertTrue(CLEAR_ERROR.matcher(e.getMessage()).matches(), "unclear error: " + e.getMessage());
    }
  }

  @Provide
  Arbitrary<Generated> notebooks() {
    Arbitrary<String> eol = Arbitraries.of("\n", "\r\n");
    Arbitrary<String> proseLine =
        Arbitraries.strings().withChars("abc xyz#*-_=|.,:;'\"{}()<>0123456789é字").ofMaxLength(40);
    Arbitrary<String> codeLine =
        Arbitraries.strings()
            .withChars("SELECT*FROM events WHERE=1;{}()\"'`~\t-")
            .ofMaxLength(50)
            .filter(
                l -> !l.stripLeading().startsWith("```") && !l.stripLeading().startsWith("~~~"));
    Arbitrary<Tuple.Tuple4<Boolean, String, List<String>, String>> block =
        Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.of("sql", "java"),
                Arbitraries.oneOf(codeLine, proseLine).list().ofMaxSize(6),
                eol)
            .as(Tuple::of);
    return Combinators.combine(block.list().ofMaxSize(8), Arbitraries.of(true, false), eol)
        .as(
            (blocks, frontMatter, nl) -> {
              StringBuilder text = new StringBuilder();
              List<String> ids = new ArrayList<>();
              if (frontMatter) {
                text.append("---")
                    .append(nl)
                    .append("parameters:")
                    .append(nl)
                    .append("  window: 30s")
                    .append(nl)
                    .append("---")
                    .append(nl);
              }
              int n = 0;
              for (var b : blocks) {
                if (b.get1()) {
                  String id = "c" + n++;
                  ids.add(id);
                  text.append("```").append(b.get2()).append(" name=").append(id).append(b.get4());
                  for (String line : b.get3()) {
                    text.append(line).append(b.get4());
                  }
                  text.append("```").append(b.get4());
                } else {
                  for (String line : b.get3()) {
                    // Prose never opens a fence: a line that would is indented past the limit.
                    text.append(line.startsWith("`") || line.startsWith("~") ? "    " + line : line)
                        .append(b.get4());
                  }
                }
              }
              return new Generated(text.toString(), ids);
            });
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> alphabet =
        Arbitraries.strings()
            .withChars("`~-\n\r \tsqljavaname=x:{}\"'#\u0000\uFEFF")
            .ofMaxLength(300);
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(300);
    // Pieces of the format's own syntax, in random order: fences, info strings, front matter.
    Arbitrary<String> syntax =
        Arbitraries.of(
                "```",
                "````",
                "~~~",
                "```sql",
                "```java",
                "```ask",
                "```bisect",
                " name=a",
                " name=a",
                " title=\"x",
                " k=v",
                "{.x}",
                "---",
                "\n",
                "\n",
                "\r\n",
                "key: v",
                "SELECT 1",
                "  ",
                "window: 1s",
                "parameters:",
                "limits:",
                "\t")
            .list()
            .ofMaxSize(40)
            .map(parts -> String.join("", parts));
    return Arbitraries.oneOf(alphabet, anything, syntax);
  }

  @Provide
  Arbitrary<String> realNotebooks() {
    try (Stream<Path> shipped = Files.list(Path.of("../notebooks"));
        Stream<Path> golden = Files.list(NotebookParserTest.GOLDEN.resolve("good"))) {
      List<String> texts =
          Stream.concat(shipped, golden)
              .filter(p -> p.toString().endsWith(".md"))
              .sorted()
              .map(NotebookFuzzTest::read)
              .toList();
      return Arbitraries.of(texts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One edit of a file: the kinds of damage a bad merge, an editor or a truncated copy does. */
  record Mutation(int kind, double at, String text) {
    String apply(String s) {
      int i = (int) (at * s.length());
      List<String> lines = new ArrayList<>(List.of(s.split("(?<=\n)", -1)));
      int line = (int) (at * lines.size());
      return switch (kind) {
        case 0 -> s.substring(0, i); // truncated
        case 1 -> s.substring(0, i) + text + s.substring(i); // inserted text
        case 2 -> i < s.length() ? s.substring(0, i) + s.substring(i + 1) : s; // deleted char
        case 3 -> { // deleted line
          if (line < lines.size()) {
            lines.remove(line);
          }
          yield String.join("", lines);
        }
        case 4 -> { // duplicated line
          if (line < lines.size()) {
            lines.add(line, lines.get(line));
          }
          yield String.join("", lines);
        }
        default -> s.replace("\n", "\r\n"); // line endings changed
      };
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<String> inserted =
        Arbitraries.of(
            "```",
            "```sql\n",
            "```sql name=by_process\n",
            "~~~~\n",
            "---\n",
            "```java x=\"\n",
            "\n```\n",
            "```ask\nkey without colon\n```\n",
            "name=",
            "\u0000",
            "\r");
    return Combinators.combine(
            Arbitraries.integers().between(0, 5), Arbitraries.doubles().between(0, 1), inserted)
        .as(Mutation::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3);
  }
}
