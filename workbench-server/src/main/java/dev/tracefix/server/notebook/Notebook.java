package dev.tracefix.server.notebook;

import dev.tracefix.server.ServerException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed notebook: prose and cells in file order. {@link #text()} is the file content; for a
 * parsed file it equals the input exactly.
 */
public record Notebook(String fileName, List<NotebookBlock> blocks) {

  public Notebook {
    blocks = List.copyOf(blocks);
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    for (NotebookBlock block : blocks) {
      sb.append(block.text());
    }
    return sb.toString();
  }

  public List<Cell> cells() {
    return blocks.stream().filter(b -> b instanceof Cell).map(b -> (Cell) b).toList();
  }

  public Optional<Cell> cell(String id) {
    return cells().stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** What parses but was probably not meant (e.g. a misspelt cell kind), as file:line: message. */
  public List<String> warnings() {
    return NotebookParser.warnings(fileName, text());
  }

  /** Parameters declared in the front matter, name → default, in file order. */
  public Map<String, String> parameters() {
    return FrontMatter.parameters(fileName, text());
  }

  /**
   * The limits the front matter sets for this notebook (limit name → value as written); the parser
   * has checked them against {@link dev.tracefix.server.limits.Limits}.
   */
  public Map<String, String> limits() {
    return FrontMatter.limits(fileName, text());
  }

  /** The text of the first {@code # } heading in prose, if any. */
  public Optional<String> title() {
    for (NotebookBlock block : blocks) {
      if (block instanceof NotebookBlock.Prose prose) {
        for (String line : Lines.split(prose.text())) {
          String l = Lines.stripTerminator(line);
          if (l.startsWith("# ")) {
            return Optional.of(l.substring(2).strip());
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * This notebook with one cell's source replaced. Only that cell's text changes; the result is
   * parsed again so line numbers stay right and a bad action body is rejected.
   *
   * @throws ServerException NOT_FOUND for an unknown id, MALFORMED if the edit breaks the file
   */
  public Notebook withCellSource(String id, String source) {
    Cell cell =
        cell(id)
            .orElseThrow(
                () ->
                    new ServerException(
                        ServerException.Kind.NOT_FOUND,
                        fileName + ": no cell with id '" + id + "'"));
    StringBuilder sb = new StringBuilder();
    for (NotebookBlock block : blocks) {
      sb.append(block == cell ? cell.withSource(source).text() : block.text());
    }
    return NotebookParser.parse(fileName, sb.toString());
  }

  /**
   * This notebook with attributes set on one cell's fence (null removes one), e.g. the chart a
   * person picked: {@code ```sql name=rate chart=line x=second y=errors}. Only that line changes.
   */
  public Notebook withCellAttributes(String id, Map<String, String> changes) {
    Cell cell =
        cell(id)
            .orElseThrow(
                () ->
                    new ServerException(
                        ServerException.Kind.NOT_FOUND,
                        fileName + ": no cell with id '" + id + "'"));
    StringBuilder sb = new StringBuilder();
    for (NotebookBlock block : blocks) {
      sb.append(
          block == cell
              ? cell.openingLineWith(changes) + cell.body() + cell.closingLine()
              : block.text());
    }
    return NotebookParser.parse(fileName, sb.toString());
  }
}
