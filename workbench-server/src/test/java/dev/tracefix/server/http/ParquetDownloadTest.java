package dev.tracefix.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracefix.server.run.KernelSettings;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET .../rows.parquet} against a real server whose notebooks are locked as {@code serve}
 * locks them: the file DuckDB writes decodes (read back with DuckDB) to the rows and column types
 * of the kept result, sorted like the grid, with key material withheld as in CSV.
 */
class ParquetDownloadTest {
  /** A key as the key store writes it: 64 hex digits at the end of a line. */
  private static final String KEY = "ab12".repeat(16);

  private static final String SELECT =
      "SELECT * FROM (VALUES"
          + " (1::INTEGER, 2.5::DOUBLE, 'peer-1', TIMESTAMP '2026-01-02 03:04:05', [1, 2],"
          + " 12345678901::BIGINT),"
          + " (2, NULL, 'key "
          + KEY
          + "\n', NULL, [3], NULL),"
          + " (3, -1.25, NULL, TIMESTAMP '2026-12-07 20:00:00', [], 7))"
          + " AS t(i, d, s, ts, l, b)";

  @TempDir Path tempDir;
  private WorkbenchFixture workbench;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
    workbench = new WorkbenchFixture(tempDir, KernelSettings.DEFAULTS, true);
    api = new ApiClient(workbench);
    int blocks = ApiClient.json(api.get("/api/notebooks/retransmits.md")).get("blocks").size();
    ApiClient.json(
        api.post(
            "/api/notebooks/retransmits.md/blocks",
            "{\"op\":\"insert\",\"index\":"
                + blocks
                + ",\"kind\":\"sql\",\"id\":\"mixed\",\"source\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(SELECT)
                + "}"));
    ApiClient.json(
        api.post(
            "/api/notebooks/retransmits.md/blocks",
            "{\"op\":\"insert\",\"index\":"
                + (blocks + 1)
                + ",\"kind\":\"sql\",\"id\":\"nested\",\"source\":"
                + "\"SELECT ['key ' || repeat('ab12', 16) || chr(10)] AS l\"}"));
  }

  @AfterEach
  void stop() throws Exception {
    workbench.close();
  }

  @Test
  void theParquetFileHoldsTheKeptRowsAndTypesSortedWithKeyMaterialWithheld() throws Exception {
    JsonNode output = api.run("retransmits.md", "mixed");
    assertEquals("table", output.get("kind").asText(), output.toString());
    Path file = tempDir.resolve("mixed.parquet");
    HttpResponse<Path> response =
        api.download(
            "/api/notebooks/retransmits.md/cells/mixed/rows.parquet?sort=i&desc=true", file);
    assertEquals(200, response.statusCode(), () -> latin1(file));
    assertEquals(
        "application/vnd.apache.parquet", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals(
        "attachment; filename=\"mixed.parquet\"",
        response.headers().firstValue("Content-Disposition").orElse(""));

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      String read = "read_parquet('" + file + "')";
      assertEquals(types(duck, "(" + SELECT + ")"), types(duck, read));
      List<String> expected = rows(duck, "(" + SELECT + ") ORDER BY i DESC");
      expected.set(1, expected.get(1).replace(KEY, "<KEY_MATERIAL:withheld>"));
      assertEquals(expected, rows(duck, read));
      System.out.println("parquet rows " + expected.size() + ", types " + types(duck, read));
    }
    try (Stream<Path> left = Files.walk(tempDir)) {
      assertEquals(
          List.of(),
          left.filter(p -> p.getFileName().toString().startsWith("export-")).toList(),
          "the server deletes its export file");
    }
  }

  @Test
  void aBadSortOrAResultNotKeptIsAClearErrorAndNoFile() throws Exception {
    Path file = tempDir.resolve("none.parquet");
    HttpResponse<Path> notRun =
        api.download("/api/notebooks/retransmits.md/cells/mixed/rows.parquet", file);
    assertEquals(404, notRun.statusCode());
    assertTrue(Files.readString(file).contains("run it first"), Files.readString(file));

    api.run("retransmits.md", "mixed");
    HttpResponse<Path> badSort =
        api.download("/api/notebooks/retransmits.md/cells/mixed/rows.parquet?sort=nope", file);
    assertEquals(400, badSort.statusCode());
    String body = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(body.contains("no column 'nope'"), body);

    // Key material inside a list cannot be replaced in place: refused, not written.
    api.run("retransmits.md", "nested");
    HttpResponse<Path> nested =
        api.download("/api/notebooks/retransmits.md/cells/nested/rows.parquet", file);
    assertEquals(400, nested.statusCode());
    body = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(body.contains("holds text in the key store's format"), body);
  }

  /** A body as text whatever its bytes, for a failure's message. */
  private static String latin1(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static List<String> types(Connection c, String relation) throws SQLException {
    List<String> types = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      while (rs.next()) {
        types.add(rs.getString("column_name") + " " + rs.getString("column_type"));
      }
    }
    return types;
  }

  private static List<String> rows(Connection c, String relation) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + relation)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? " | " : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
