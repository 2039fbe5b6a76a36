package dev.tracefix.server.notebook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.views.chart.ChartSvg;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a notebook as Jupyter nbformat 4.5: prose as markdown cells, every tracefix cell as a code
 * cell carrying {@code metadata.tracefix} (kind, attributes, info string) so that {@link
 * IpynbImporter} can restore it, plus the outputs of cells that ran (a table's chart also as an
 * {@code image/svg+xml} picture).
 */
public final class IpynbExporter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private IpynbExporter() {}

  /**
   * @param outputs outputs by cell id (cells without one are exported unexecuted)
   */
  public static String export(Notebook notebook, Map<String, CellOutput> outputs) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode metadata = root.putObject("metadata");
    metadata.putObject("language_info").put("name", "sql");
    notebook.title().ifPresent(t -> metadata.put("title", t));
    metadata.putObject("tracefix").put("source", notebook.fileName());
    root.put("nbformat", 4);
    root.put("nbformat_minor", 5);
    ArrayNode cells = root.putArray("cells");
    int prose = 0;
    int executed = 0;
    for (NotebookBlock block : notebook.blocks()) {
      switch (block) {
        case NotebookBlock.Prose p -> {
          if (p.text().isBlank()) {
            continue; // separators between cells; the importer puts blank lines back
          }
          ObjectNode cell = cells.addObject();
          cell.put("id", "md-" + ++prose);
          cell.put("cell_type", "markdown");
          cell.putObject("metadata");
          cell.set("source", lines(p.text().strip() + "\n"));
        }
        case Cell c -> {
          ObjectNode cell = cells.addObject();
          cell.put("id", c.id());
          cell.put("cell_type", "code");
          ObjectNode tracefix = cell.putObject("metadata").putObject("tracefix");
          tracefix.put("kind", c.kind().word());
          ObjectNode attrs = tracefix.putObject("attrs");
          c.attributes().forEach(attrs::put);
          tracefix.put("info", c.info());
          cell.set("source", lines(c.source()));
          CellOutput output = outputs.get(c.id());
          ArrayNode outs = JSON.createArrayNode();
          if (output == null) {
            cell.putNull("execution_count");
          } else {
            cell.put("execution_count", ++executed);
            outs.add(output(output, executed));
          }
          cell.set("outputs", outs);
        }
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write ipynb JSON", e);
    }
  }

  private static ObjectNode output(CellOutput output, int executionCount) {
    ObjectNode out = JSON.createObjectNode();
    switch (output) {
      case CellOutput.Text t -> {
        out.put("output_type", "stream");
        out.put("name", "stdout");
        out.set("text", lines(t.text()));
      }
      case CellOutput.Error e -> {
        out.put("output_type", "error");
        out.put("ename", e.errorKind());
        out.put("evalue", e.message());
        ArrayNode traceback = out.putArray("traceback");
        e.detail().lines().forEach(traceback::add);
      }
      case CellOutput.Table t -> {
        out.put("output_type", "execute_result");
        out.put("execution_count", executionCount);
        ObjectNode data = out.putObject("data");
        data.set("text/plain", lines(plainTable(t)));
        data.set("application/json", JSON.valueToTree(t));
        if (t.chart() != null) {
          // The cell's chart as the report draws it, so Jupyter and GitHub show the picture.
          data.set("image/svg+xml", lines(ChartSvg.render(t.chart())));
        }
        out.putObject("metadata");
      }
      case CellOutput.Hypotheses h -> display(out, markdown(h), output);
      case CellOutput.Minimized m ->
          display(out, m.originalSize() + " rows minimized to " + m.rows().size(), output);
      case CellOutput.Bisected b ->
          display(out, "culprit " + b.culprit() + " " + b.subject(), output);
      case CellOutput.Patched p ->
          display(
              out,
              "patch "
                  + p.strategy()
                  + " on branch "
                  + p.branch()
                  + (p.reviewPassed()
                      ? " (passed the review gate)"
                      : " (did not pass the review gate)")
                  + "\n\n"
                  + p.diff(),
              output);
    }
    return out;
  }

  private static void display(ObjectNode out, String text, CellOutput output) {
    out.put("output_type", "display_data");
    ObjectNode data = out.putObject("data");
    data.set("text/plain", lines(text));
    data.set("application/json", JSON.valueToTree(output));
    out.putObject("metadata");
  }

  private static String markdown(CellOutput.Hypotheses h) {
    String items =
        h.items().stream()
            .map(
                i ->
                    "- "
                        + i.statement()
                        + "\n  evidence: "
                        + i.evidence()
                        + "\n  check: "
                        + String.valueOf(i.checkSql()).replace("\n", " ")
                        + (i.check() == null ? "" : "\n  verdict: " + i.check().verdict()))
            .collect(Collectors.joining("\n"));
    return h.provenance() == null || h.provenance().note() == null
        ? items
        : h.provenance().note() + "\n" + items;
  }

  private static String plainTable(CellOutput.Table t) {
    StringBuilder sb = new StringBuilder(String.join("\t", t.columns())).append('\n');
    for (List<Object> row : t.rows()) {
      sb.append(row.stream().map(String::valueOf).collect(Collectors.joining("\t"))).append('\n');
    }
    if (t.totalRows() > t.rows().size()) {
      sb.append("... ").append(t.totalRows()).append(" rows in all\n");
    }
    return sb.toString();
  }

  /** nbformat's multiline string: a list of lines, each keeping its newline. */
  static ArrayNode lines(String text) {
    ArrayNode array = JSON.createArrayNode();
    Lines.split(text).forEach(array::add);
    return array;
  }
}
