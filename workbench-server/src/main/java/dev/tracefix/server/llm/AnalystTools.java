package dev.tracefix.server.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.tracefix.server.analyst.ReadOnlyQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a model may do while it works on hypotheses: read-only SQL on the notebook's own (locked)
 * connection with bounded rows and time, list tables and columns, read a saved query, search the
 * target repository. A tool never throws to the model: failures come back as text. Rows carrying a
 * field the privacy policy drops put a hold on the next request ({@link #holds}); every result's
 * text is redacted by the gateway when the request carrying it is cleared.
 */
final class AnalystTools {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CELL_CHARS = 200;

  private final Connection connection;
  private final PrivacyGateway gateway;
  private final int maxRows;
  private final Duration sqlTimeout;
  private final Optional<Path> queries;
  private final Optional<RepositoryIndex> repository;
  private final List<String> holds = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();

  AnalystTools(
      Connection connection,
      PrivacyGateway gateway,
      int maxRows,
      Duration sqlTimeout,
      Optional<Path> queries,
      Optional<RepositoryIndex> repository) {
    this.connection = connection;
    this.gateway = gateway;
    this.maxRows = maxRows;
    this.sqlTimeout = sqlTimeout;
    this.queries = queries;
    this.repository = repository;
  }

  static List<ToolSpecification> specifications(boolean withRepository) {
    List<ToolSpecification> tools = new ArrayList<>();
    tools.add(
        tool(
            "run_sql",
            "Run one read-only DuckDB query (SELECT/WITH/FROM/DESCRIBE) on the trace tables; at most a few"
                + " dozen rows come back.",
            "query",
            "the SQL query"));
    tools.add(
        ToolSpecification.builder()
            .name("list_tables")
            .description("List the tables and views with their columns.")
            .parameters(JsonObjectSchema.builder().build())
            .build());
    tools.add(
        tool(
            "describe_table",
            "The columns and types of one table or view.",
            "table",
            "table name"));
    tools.add(
        ToolSpecification.builder()
            .name("list_saved_queries")
            .description("List the saved queries of the project (file name and title).")
            .parameters(JsonObjectSchema.builder().build())
            .build());
    tools.add(
        tool(
            "read_saved_query",
            "Read one saved query by file name.",
            "name",
            "e.g. error-bursts.sql"));
    if (withRepository) {
      tools.add(
          tool(
              "search_repository",
              "Search the target service's source code and configuration; returns the closest snippets.",
              "query",
              "what to look for, in words or identifiers"));
    }
    return tools;
  }

  private static ToolSpecification tool(
      String name, String description, String arg, String argDescription) {
    return ToolSpecification.builder()
        .name(name)
        .description(description)
        .parameters(
            JsonObjectSchema.builder().addStringProperty(arg, argDescription).required(arg).build())
        .build();
  }

  /** Reasons the next request must not go out (rows with values the policy drops). */
  List<String> holds() {
    return List.copyOf(holds);
  }

  /** The tool calls made, as {@code name(argument)}, for the cell's record. */
  List<String> calls() {
    return List.copyOf(calls);
  }

  String execute(ToolExecutionRequest request) {
    JsonNode args;
    try {
      args =
          request.arguments() == null || request.arguments().isBlank()
              ? JSON.createObjectNode()
              : JSON.readTree(request.arguments());
    } catch (IOException e) {
      return "error: the arguments are not JSON: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
    String name = String.valueOf(request.name());
    calls.add(name + (args.isEmpty() ? "()" : "(" + args.elements().next().asText() + ")"));
    try {
      return switch (name) {
        case "run_sql" -> sql(args.path("query").asText(""));
        case "list_tables" -> tables();
        case "describe_table" -> describe(args.path("table").asText(""));
        case "list_saved_queries" -> savedQueries();
        case "read_saved_query" -> savedQuery(args.path("name").asText(""));
        case "search_repository" -> search(args.path("query").asText(""));
        default -> "error: there is no tool named '" + name + "'";
      };
    } catch (SQLException e) {
      return "error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
  }

  String sql(String query) throws SQLException {
    ReadOnlyQuery.Result r;
    try {
      r = ReadOnlyQuery.run(connection, query, maxRows, sqlTimeout);
    } catch (ReadOnlyQuery.Refused e) {
      return "error: not run: " + e.getMessage();
    }
    gateway.policyRefusal(r.columns(), r.rows()).ifPresent(holds::add);
    return table(r.columns(), r.rows(), r.truncated());
  }

  /**
   * Rows as records, one {@code column: value} per line. Not a grid: some recognizers read a
   * value's surroundings (a tracefix key is 64 hex digits alone at a line end; the same digits
   * mid-line are a container id), so each value gets a line of its own, as it would stand alone.
   */
  static String table(List<String> columns, List<List<Object>> rows, boolean truncated) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (List<Object> row : rows) {
      sb.append("row ").append(++n).append('\n');
      for (int c = 0; c < columns.size(); c++) {
        sb.append(columns.get(c)).append(": ").append(cell(row.get(c))).append('\n');
      }
    }
    sb.append(rows.size())
        .append(rows.size() == 1 ? " row" : " rows")
        .append(rows.isEmpty() ? " (columns: " + String.join(", ", columns) + ")" : "")
        .append(truncated ? " (more not shown)" : "");
    return sb.toString();
  }

  private static String cell(Object v) {
    // Lines of a multi-line value stay lines (indented), so line-end rules still see them.
    String s = String.valueOf(v).replace("\r\n", "\n").strip().replace("\n", "\n  ");
    return s.length() > MAX_CELL_CHARS ? s.substring(0, MAX_CELL_CHARS) + "..." : s;
  }

  String tables() throws SQLException {
    try {
      ReadOnlyQuery.Result r =
          ReadOnlyQuery.run(
              connection,
              "SELECT table_name, string_agg(column_name, ', ' ORDER BY ordinal_position) AS columns"
                  + " FROM information_schema.columns WHERE table_schema IN ('main', 'temp')"
                  + " AND table_name NOT IN ('schema_version', 'spool_segments')"
                  + " GROUP BY table_name ORDER BY table_name",
              500,
              sqlTimeout);
      return table(r.columns(), r.rows(), r.truncated());
    } catch (ReadOnlyQuery.Refused e) {
      throw new IllegalStateException(e);
    }
  }

  String describe(String table) throws SQLException {
    try {
      ReadOnlyQuery.Result r =
          ReadOnlyQuery.run(
              connection,
              "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '"
                  + table.replace("'", "''")
                  + "' ORDER BY ordinal_position",
              500,
              sqlTimeout);
      return r.rows().isEmpty()
          ? "error: no table or view named '" + table + "'"
          : table(r.columns(), r.rows(), r.truncated());
    } catch (ReadOnlyQuery.Refused e) {
      throw new IllegalStateException(e);
    }
  }

  String savedQueries() {
    if (queries.isEmpty()) {
      return "no saved-query folder";
    }
    try (Stream<Path> files = Files.list(queries.get())) {
      return files
          .filter(p -> p.toString().endsWith(".sql"))
          .sorted()
          .map(p -> p.getFileName() + "\t" + title(p))
          .collect(Collectors.joining("\n", "name\ttitle\n", ""));
    } catch (IOException e) {
      return "error: cannot list saved queries: " + e.getMessage();
    }
  }

  String savedQuery(String name) {
    if (queries.isEmpty()) {
      return "no saved-query folder";
    }
    Path dir = queries.get().toAbsolutePath().normalize();
    Path file = dir.resolve(name.endsWith(".sql") ? name : name + ".sql").normalize();
    if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
      return "error: no saved query named '" + name + "'";
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "error: cannot read " + name + ": " + e.getMessage();
    }
  }

  static String title(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith("--"))
          .map(l -> l.replaceFirst("^--\\s*", "").replaceFirst("(?i)^title:\\s*", ""))
          .filter(l -> !l.isBlank())
          .findFirst()
          .orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  String search(String query) {
    if (repository.isEmpty()) {
      return "no repository is attached to this cell (add 'repo: PATH' to its body)";
    }
    List<RepositoryIndex.Snippet> found = repository.get().search(query, 4);
    if (found.isEmpty()) {
      return "nothing found";
    }
    return found.stream()
        .map(s -> "--- " + s.header() + "\n" + s.text())
        .collect(Collectors.joining("\n"));
  }

  /** A sample of a named result (a temp table a SQL cell made), for the prompt. */
  String sample(String result) throws SQLException {
    String name = result.strip();
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return "error: '" + name + "' is not a result name";
    }
    return sql(
        "SELECT * FROM \""
            + name
            + "\" USING SAMPLE reservoir("
            + maxRows
            + " ROWS) REPEATABLE (7)");
  }
}
