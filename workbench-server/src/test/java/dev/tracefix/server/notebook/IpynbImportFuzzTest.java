package dev.tracefix.server.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracefix.server.ServerException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Jupyter files from elsewhere, damaged: a field removed, a value of the wrong type, a huge string,
 * deep nesting, text that would break a fence. The importer either gives Markdown that the notebook
 * parser reads back byte for byte, or refuses with the file name and a reason.
 */
class IpynbImportFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property(tries = 400)
  void damagedJupyterFilesImportIntoANotebookOrAreRefusedClearly(
      @ForAll("damage") List<Damage> damage) throws Exception {
    JsonNode doc = exported();
    for (Damage d : damage) {
      doc = d.apply(doc);
    }
    String text = JSON.writeValueAsString(doc);
    String markdown;
    try {
      markdown = IpynbImporter.toNotebook("in.ipynb", text).text();
    } catch (ServerException e) {
      Statistics.collect("refused");
      assertTrue(e.getMessage().startsWith("in.ipynb"), e.getMessage());
      return;
    }
    Notebook notebook = NotebookParser.parse("in.md", markdown);
    assertEquals(markdown, notebook.text());
    Statistics.collect("imported");
  }

  @Property(tries = 200)
  void bytesThatAreNotJupyterAreRefusedClearly(@ForAll("notJson") String text) {
    try {
      String markdown = IpynbImporter.toNotebook("in.ipynb", text).text();
      assertEquals(markdown, NotebookParser.parse("in.md", markdown).text());
      Statistics.collect("imported");
    } catch (ServerException e) {
      assertTrue(e.getMessage().startsWith("in.ipynb"), e.getMessage());
      Statistics.collect("refused");
    }
  }

  private static JsonNode exported() throws Exception {
    Notebook basic =
        NotebookParser.parse(
            "basic.md", Files.readString(NotebookParserTest.GOLDEN.resolve("good/basic.md")));
    return JSON.readTree(IpynbExporter.export(basic, Map.of()));
  }

  /** One damage at a path chosen by {@code pick} among the document's nodes. */
  record Damage(int kind, double pick, String text) {
    JsonNode apply(JsonNode root) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get((int) (pick * containers.size()));
      switch (target) {
        case ObjectNode o when o.size() > 0 -> {
          List<String> fields = new ArrayList<>();
          o.fieldNames().forEachRemaining(fields::add);
          String field = fields.get((int) (pick * 7919) % fields.size());
          switch (kind) {
            case 0 -> o.remove(field);
            case 1 -> o.put(field, 42);
            case 2 -> o.set(field, NODES.arrayNode().add(text).add(NODES.nullNode()));
            case 3 -> o.putNull(field);
            case 4 -> o.put(field, text.repeat(20_000));
            case 5 -> o.set(field, deep(200));
            default -> o.put(field, text);
          }
        }
        case ArrayNode a -> {
          switch (kind) {
            case 0 -> a.removeAll();
            case 1 -> a.add(42);
            case 2 -> a.add(NODES.objectNode().put("cell_type", "code").put("source", text));
            case 3 -> a.addNull();
            default -> a.add(text);
          }
        }
        default -> {}
      }
      return root;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
      if (node.isContainerNode()) {
        out.add(node);
        node.forEach(child -> collect(child, out));
      }
    }

    private static JsonNode deep(int depth) {
      ArrayNode top = NODES.arrayNode();
      ArrayNode at = top;
      for (int i = 0; i < depth; i++) {
        at = at.addArray();
      }
      return top;
    }
  }

  @Provide
  Arbitrary<List<Damage>> damage() {
    Arbitrary<String> text =
        Arbitraries.of(
            "x",
            "```",
            "````sql\n",
            "sql\n```\nSELECT 1",
            "a\nb",
            "name=\"",
            "---\n",
            "\u0000",
            "{.x}",
            "~~~",
            "é字",
            "");
    return Combinators.combine(
            Arbitraries.integers().between(0, 6),
            Arbitraries.doubles().between(0, 0.999).ofScale(4),
            text)
        .as(Damage::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> notJson() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(200),
        Arbitraries.of(
            "",
            "null",
            "[]",
            "{}",
            "{\"cells\": 1}",
            "{\"cells\": [1, null, \"x\"]}",
            "[".repeat(5000),
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": [1, {}]}]}"));
  }
}
