package dev.tracefix.server.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.views.chart.Chart;
import dev.tracefix.server.views.chart.ChartSvg;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpynbExporterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Notebook basic() throws Exception {
    return NotebookParser.parse(
        "basic.md", Files.readString(NotebookParserTest.GOLDEN.resolve("good/basic.md")));
  }

  private static final Map<String, CellOutput> OUTPUTS =
      Map.of(
          "failures",
              new CellOutput.Table(
                  List.of("process_token", "n"), List.of(List.of("tok-1", 40L)), 1),
          "cell-2", new CellOutput.Text("1\n"),
          "cell-3",
              new CellOutput.Hypotheses(
                  List.of(new CellOutput.Hypothesis("worker fails", "40 of 100", "SELECT 1"))),
          "cell-4",
              new CellOutput.Error(
                  "sql", "Catalog Error: no table", "Catalog Error: no table\nLINE 1"));

  @Test
  void theExportIsValidNbformat45WithOutputsAndTracefixMetadata() throws Exception {
    JsonNode exported = JSON.readTree(IpynbExporter.export(basic(), OUTPUTS));
    assertEquals(List.of(), NbformatSchema.violations(exported));
    assertEquals(4, exported.get("nbformat").asInt());
    assertEquals(5, exported.get("nbformat_minor").asInt());
    JsonNode failures = exported.get("cells").get(1);
    assertEquals("code", failures.get("cell_type").asText());
    assertEquals("failures", failures.get("id").asText());
    assertEquals("sql", failures.at("/metadata/tracefix/kind").asText());
    assertEquals("failures", failures.at("/metadata/tracefix/attrs/name").asText());
    assertEquals("execute_result", failures.at("/outputs/0/output_type").asText());
    assertEquals(40, failures.at("/outputs/0/data/application~1json/rows/0/1").asInt());
    List<String> types = new java.util.ArrayList<>();
    exported.get("cells").forEach(c -> types.add(c.get("cell_type").asText()));
    assertEquals(List.of("markdown", "code", "markdown", "code", "code", "code"), types);
  }

  @Test
  void aTablesChartIsExportedAsAnSvgPictureBesideItsRows() throws Exception {
    Chart chart =
        new Chart(
            "line",
            "second",
            List.of("n"),
            "number",
            List.of(1.0, 2.0, 3.0),
            List.of(),
            List.of(java.util.Arrays.asList(4.0, null, 9.0)),
            3,
            null);
    CellOutput table =
        new CellOutput.Table(
                List.of("second", "n"),
                List.of(List.of(1, 4), java.util.Arrays.asList(2, null), List.of(3, 9)),
                3)
            .withChart(chart);
    JsonNode exported = JSON.readTree(IpynbExporter.export(basic(), Map.of("failures", table)));
    assertEquals(List.of(), NbformatSchema.violations(exported));
    JsonNode data = exported.get("cells").get(1).at("/outputs/0/data");
    StringBuilder svg = new StringBuilder();
    data.get("image/svg+xml").forEach(line -> svg.append(line.asText()));
    assertEquals(ChartSvg.render(chart), svg.toString());
    assertTrue(
        svg.toString().startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg.toString());
    // Every other output keeps its text only: no picture where no chart was asked for.
    JsonNode plain = JSON.readTree(IpynbExporter.export(basic(), OUTPUTS));
    assertFalse(plain.get("cells").get(1).at("/outputs/0/data").has("image/svg+xml"));
  }

  @Test
  void theSchemaCheckRejectsABrokenExport() throws Exception {
    ObjectNode exported = (ObjectNode) JSON.readTree(IpynbExporter.export(basic(), OUTPUTS));
    ((ObjectNode) exported.get("cells").get(1)).remove("outputs");
    ((ObjectNode) exported.get("cells").get(0)).put("id", "has space");
    List<String> violations = NbformatSchema.violations(exported);
    assertFalse(violations.isEmpty());
  }

  @Test
  void anUnexecutedExportIsValidToo() throws Exception {
    JsonNode exported = JSON.readTree(IpynbExporter.export(basic(), Map.of()));
    assertEquals(List.of(), NbformatSchema.violations(exported));
    assertEquals(true, exported.at("/cells/1/execution_count").isNull());
  }

  @Test
  void importingAnExportGivesBackTheCells() throws Exception {
    Notebook original = basic();
    String markdown =
        IpynbImporter.toNotebook("basic.ipynb", IpynbExporter.export(original, OUTPUTS)).text();
    Notebook imported = NotebookParser.parse("basic.md", markdown);
    // line numbers differ (prose is normalized); ids, kinds, attributes and sources do not
    String lineNumbers = "(?m)^\\d+ |, line=\\d+";
    assertEquals(
        NotebookParserTest.describe(original).replaceAll(lineNumbers, ""),
        NotebookParserTest.describe(imported).replaceAll(lineNumbers, ""));
    assertEquals(original.title(), imported.title());
  }
}
