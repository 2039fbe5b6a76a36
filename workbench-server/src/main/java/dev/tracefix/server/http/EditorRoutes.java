package dev.tracefix.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.kernel.sql.ColumnSummary;
import dev.tracefix.server.kernel.sql.SqlCatalog;
import dev.tracefix.server.run.NotebookWorkspace;
import dev.tracefix.server.run.NotebookWorkspace.BlockEdit;
import dev.tracefix.server.run.NotebookWorkspace.NewNotebook;
import dev.tracefix.server.run.NotebookWorkspace.Rename;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the browser editor needs beyond running cells: the catalog it completes from, structural
 * edits, creating and renaming notebooks, restarting kernels, column summaries and CSV download.
 * Thin handlers over {@link NotebookWorkspace}, like {@link NotebookRoutes}.
 */
final class EditorRoutes {
  private final NotebookWorkspace workspace;
  private final ObjectMapper json;

  EditorRoutes(NotebookWorkspace workspace, ObjectMapper json) {
    this.workspace = workspace;
    this.json = json;
  }

  void register(ApiRoutes api) {
    api.get(
        "/api/notebooks/{name}/catalog",
        "tables, views and named results with columns, types and estimated row counts, and"
            + " function names, read live from the notebook's database",
        SqlCatalog.class,
        ctx -> ctx.json(workspace.catalog(ctx.pathParam("name"))));
    api.post(
        "/api/notebooks/{name}/blocks",
        "a structural edit by block index: insert, delete, convert (markdown <-> cell kind) or"
            + " prose (replace prose text); saves the file",
        BlockEdit.class,
        NotebookWorkspace.NotebookView.class,
        ctx ->
            ctx.json(
                workspace.edit(
                    ctx.pathParam("name"),
                    body(
                        ctx,
                        BlockEdit.class,
                        "{\"op\": \"insert\", \"index\": 0, \"kind\": \"sql\", \"source\": \"...\"}"))));
    api.post(
        "/api/notebooks",
        "creates a notebook: a short starter, or a copy of ?template (without outputs)",
        NewNotebook.class,
        NotebookWorkspace.NotebookView.class,
        ctx -> {
          NewNotebook request = body(ctx, NewNotebook.class, "{\"name\": \"incident.md\"}");
          ctx.status(201).json(workspace.create(request.name(), request.template()));
        });
    api.post(
        "/api/notebooks/{name}/rename",
        "renames (moves) a notebook file inside the folder; its session ends",
        Rename.class,
        NotebookWorkspace.NotebookSummary.class,
        ctx ->
            ctx.json(
                workspace.rename(
                    ctx.pathParam("name"),
                    body(ctx, Rename.class, "{\"to\": \"new-name.md\"}").to())));
    api.post(
        "/api/notebooks/{name}/restart",
        "stops the notebook's SQL database and Java VM; outputs stay, marked stale",
        null,
        NotebookWorkspace.NotebookView.class,
        ctx -> ctx.json(workspace.restart(ctx.pathParam("name"))));
    api.get(
        "/api/notebooks/{name}/cells/{id}/summary",
        "?column=: type, min, max, nulls and approximate distinct count of a kept result's column",
        ColumnSummary.class,
        ctx -> {
          String column = ctx.queryParam("column");
          if (column == null || column.isEmpty()) {
            throw new BadRequestResponse("?column= names the column to summarize");
          }
          ctx.json(workspace.summary(ctx.pathParam("name"), ctx.pathParam("id"), column));
        });
    api.getText(
        "/api/notebooks/{name}/cells/{id}/rows.csv",
        "a SQL cell's whole kept result as CSV (?sort=COLUMN&desc=true), streamed",
        "text/csv",
        this::csv);
    api.getText(
        "/api/notebooks/{name}/cells/{id}/rows.parquet",
        "a SQL cell's whole kept result as Parquet (?sort=COLUMN&desc=true), written by DuckDB",
        PARQUET,
        this::parquet);
  }

  /** Parquet's media type, as registered with IANA. */
  static final String PARQUET = "application/vnd.apache.parquet";

  private void csv(Context ctx) throws java.io.IOException {
    Download d = download(ctx, "csv");
    ctx.contentType("text/csv; charset=utf-8");
    Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
    workspace.writeCsv(d.name, d.cell, d.sort, d.descending, out);
    out.flush();
  }

  private void parquet(Context ctx) throws java.io.IOException {
    Download d = download(ctx, "parquet");
    ctx.contentType(PARQUET);
    workspace.writeParquet(d.name, d.cell, d.sort, d.descending, ctx.outputStream());
  }

  private record Download(String name, String cell, Optional<String> sort, boolean descending) {}

  /** A download's notebook, cell and sort, checked before any byte of the file is sent. */
  private Download download(Context ctx, String extension) {
    String sort = ctx.queryParam("sort");
    String desc = ctx.queryParam("desc");
    if (desc != null && !desc.equals("true") && !desc.equals("false")) {
      throw new BadRequestResponse("desc must be true or false, not '" + desc + "'");
    }
    String name = ctx.pathParam("name");
    String cell = ctx.pathParam("id");
    Optional<String> by = Optional.ofNullable(sort).filter(s -> !s.isEmpty());
    // Read one row first: an unknown cell, a result not kept or a bad sort column is a clear 4xx
    // before any byte of the file is sent.
    workspace.page(name, cell, 0, 1, by, "true".equals(desc));
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\""
            + cell.replaceAll("[^A-Za-z0-9_-]", "_")
            + "."
            + extension
            + "\"");
    return new Download(name, cell, by, "true".equals(desc));
  }

  private <T> T body(Context ctx, Class<T> type, String example) {
    T value;
    try {
      value = json.readValue(ctx.body(), type);
    } catch (JacksonException e) {
      throw new BadRequestResponse(
          "request body must be JSON like " + example + ": " + e.getOriginalMessage());
    }
    if (value == null) {
      throw new BadRequestResponse("request body must be JSON like " + example);
    }
    return value;
  }
}
