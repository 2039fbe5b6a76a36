package dev.tracefix.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.kernel.sql.ResultPage;
import dev.tracefix.server.kernel.sql.ResultPages;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.query.SavedQuery;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.report.ReportFormat;
import dev.tracefix.server.run.NotebookWorkspace;
import dev.tracefix.server.share.NotebookGit;
import dev.tracefix.server.share.Revision;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

/** The notebook API: thin handlers over {@link NotebookWorkspace}; no logic of their own. */
final class NotebookRoutes {
  /** The body of {@code PUT /api/notebooks/{name}/cells/{id}}. */
  record SourceUpdate(String source, @dev.tracefix.server.wire.MayBeNull String base) {}

  /** The 409 answer to a cell edit whose base is no longer the cell's source on disk. */
  record EditConflict(String error, String message, String cell, String onDisk, String yours) {}

  /** The body of {@code POST /api/notebooks/{name}/save}; the message may be left out. */
  record SaveRequest(String message) {}

  /** What a save did: the new revision, or none when the file had no change. */
  record SaveResult(boolean saved, @dev.tracefix.server.wire.MayBeNull Revision revision) {}

  private final NotebookWorkspace workspace;
  private final ObjectMapper json;
  private final NotebookReports reports;

  /**
   * @param reports renders postmortem reports; null when this server offers none
   */
  NotebookRoutes(NotebookWorkspace workspace, ObjectMapper json, NotebookReports reports) {
    this.workspace = workspace;
    this.json = json;
    this.reports = reports;
  }

  /** The body of {@code POST /api/notebooks/{name}/cells/from-query}. */
  record QueryInsert(String query) {}

  /** The outcome of {@code POST /api/notebooks/{name}/interrupt}. */
  record InterruptResult(String notebook, boolean interrupted) {}

  void register(ApiRoutes api) {
    api.get(
        "/api/notebooks",
        "the notebooks of the folder, with title and cell count",
        ApiRoutes.listOf(NotebookWorkspace.NotebookSummary.class),
        ctx -> ctx.json(workspace.list()));
    api.get(
        "/api/notebooks/{name}",
        "a notebook with its cells' last outputs, stale marks and parameter values",
        NotebookWorkspace.NotebookView.class,
        ctx -> ctx.json(workspace.open(ctx.pathParam("name"))));
    api.post(
        "/api/notebooks/{name}/cells/{id}/run",
        "runs one cell; a failing cell is an error output, not an HTTP error",
        null,
        CellOutput.class,
        ctx -> ctx.json(workspace.runCell(ctx.pathParam("name"), ctx.pathParam("id"))));
    api.post(
        "/api/notebooks/{name}/run-all",
        "runs every cell in order",
        null,
        NotebookWorkspace.NotebookView.class,
        ctx -> ctx.json(workspace.runAll(ctx.pathParam("name"))));
    api.post(
        "/api/notebooks/{name}/run-stale",
        "runs the stale cells in dependency order; a cycle or a missing named result is an error"
            + " output of the cells involved",
        null,
        NotebookWorkspace.NotebookView.class,
        ctx -> ctx.json(workspace.runStale(ctx.pathParam("name"))));
    api.get(
        "/api/notebooks/{name}/cells/{id}/rows",
        "a page of a SQL cell's kept result: ?offset=0&limit=100 (at most "
            + ResultPages.MAX_PAGE_ROWS
            + ")&sort=COLUMN&desc=true; never waits for a running cell",
        ResultPage.class,
        this::rows);
    api.put(
        "/api/notebooks/{name}/cells/{id}",
        "replaces a cell's source and saves the file; the cell and its dependents go stale."
            + " With base (the source the edit started from) a cell changed on disk since is not"
            + " overwritten: 409 with error edit_conflict, onDisk and yours",
        SourceUpdate.class,
        NotebookWorkspace.NotebookView.class,
        this::updateCell);
    api.post(
        "/api/notebooks/{name}/interrupt",
        "stops the cell this notebook is running now, if any",
        null,
        InterruptResult.class,
        this::interrupt);
    api.get(
        "/api/queries",
        "the project's saved queries (queries/) with title, description and parameters",
        ApiRoutes.listOf(SavedQuery.class),
        ctx -> ctx.json(workspace.savedQueries()));
    api.post(
        "/api/notebooks/{name}/cells/from-query",
        "appends a saved query as a SQL cell; its parameters join the notebook's front matter",
        QueryInsert.class,
        NotebookWorkspace.NotebookView.class,
        this::insertQuery);
    api.put(
        "/api/notebooks/{name}/parameters",
        "sets values for parameters the notebook declares; cells using a changed one go stale",
        ApiRoutes.mapOf(String.class),
        NotebookWorkspace.NotebookView.class,
        this::setParameters);
    api.post(
        "/api/notebooks/{name}/save",
        "commits the notebook file to the folder's git repository (no empty commits)",
        SaveRequest.class,
        SaveResult.class,
        this::save);
    api.get(
        "/api/notebooks/{name}/history",
        "the notebook's saved versions, newest first",
        ApiRoutes.listOf(Revision.class),
        ctx -> ctx.json(workspace.history(ctx.pathParam("name"))));
    api.getText(
        "/api/notebooks/{name}/diff",
        "unified diff between ?from= and ?to= (default: last saved version and the file now)",
        "text/x-diff",
        this::diff);
    api.get(
        "/api/notebooks/{name}/at/{revision}",
        "the notebook as saved in a revision, read-only and without outputs",
        NotebookWorkspace.NotebookView.class,
        ctx -> ctx.json(workspace.openAt(ctx.pathParam("name"), ctx.pathParam("revision"))));
    api.getText(
        "/api/notebooks/{name}/export.ipynb",
        "the notebook as Jupyter nbformat 4.5 with the session's outputs",
        "application/x-ipynb+json",
        ctx -> {
          ctx.header("Content-Disposition", "attachment");
          ctx.contentType("application/x-ipynb+json")
              .result(workspace.exportIpynb(ctx.pathParam("name")));
        });
    api.getText(
        "/api/notebooks/{name}/report",
        "the redacted postmortem report of the session's outputs: ?format=html|md",
        "text/html",
        this::report);
  }

  /** The postmortem report of the session's current outputs (no re-run): ?format=html|md. */
  private void report(Context ctx) {
    if (reports == null) {
      throw new NotFoundResponse("this workbench was started without reports");
    }
    String word = ctx.queryParam("format");
    ReportFormat format;
    try {
      format = word == null ? ReportFormat.HTML : ReportFormat.parse(word);
    } catch (ServerException e) {
      throw new BadRequestResponse(e.getMessage());
    }
    String body = reports.render(ctx.pathParam("name"), format);
    SecurityHeaders.document(ctx); // a static document: no script runs in it, whatever it holds
    ctx.contentType(format.contentType()).result(body);
  }

  /** ?offset=&limit=&sort=&desc=: a page of the cell's result, as the session keeps it. */
  private void rows(Context ctx) {
    long offset = number(ctx, "offset", 0);
    long limit = number(ctx, "limit", 100);
    if (offset < 0 || limit < 1 || limit > ResultPages.MAX_PAGE_ROWS) {
      throw new BadRequestResponse(
          "offset must be 0 or more and limit between 1 and " + ResultPages.MAX_PAGE_ROWS);
    }
    String sort = ctx.queryParam("sort");
    String desc = ctx.queryParam("desc");
    if (desc != null && !desc.equals("true") && !desc.equals("false")) {
      throw new BadRequestResponse("desc must be true or false, not '" + desc + "'");
    }
    ctx.json(
        workspace.page(
            ctx.pathParam("name"),
            ctx.pathParam("id"),
            offset,
            (int) limit,
            java.util.Optional.ofNullable(sort).filter(s -> !s.isEmpty()),
            "true".equals(desc)));
  }

  private static long number(Context ctx, String param, long otherwise) {
    String value = ctx.queryParam(param);
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new BadRequestResponse(param + " must be a whole number, not '" + value + "'");
    }
  }

  /** Stops the cell this notebook is running now, if any; its run answers with an error. */
  private void interrupt(Context ctx) {
    String name = ctx.pathParam("name");
    workspace.open(name); // 404 for a notebook that does not exist
    workspace.cancel(name);
    ctx.json(new InterruptResult(name, true));
  }

  private void insertQuery(Context ctx) {
    QueryInsert insert;
    try {
      insert = json.readValue(ctx.body(), QueryInsert.class);
    } catch (JacksonException e) {
      throw new BadRequestResponse(
          "request body must be JSON like {\"query\": \"error-bursts\"}: "
              + e.getOriginalMessage());
    }
    if (insert == null || insert.query() == null || insert.query().isBlank()) {
      throw new BadRequestResponse("request body must name a saved query: {\"query\": \"...\"}");
    }
    ctx.json(workspace.insertSavedQuery(ctx.pathParam("name"), insert.query()));
  }

  /** Body: {"window": "5m", ...}: values for parameters the notebook declares. */
  private void setParameters(Context ctx) {
    java.util.Map<String, String> values;
    try {
      values =
          json.readValue(
              ctx.body(),
              new com.fasterxml.jackson.core.type.TypeReference<
                  java.util.Map<String, String>>() {});
    } catch (JacksonException e) {
      throw new BadRequestResponse(
          "request body must be a JSON object of parameter names to string values: "
              + e.getOriginalMessage());
    }
    if (values == null) {
      throw new BadRequestResponse("request body must be a JSON object, e.g. {\"window\": \"5m\"}");
    }
    ctx.json(workspace.setParameters(ctx.pathParam("name"), values));
  }

  /** Commits the notebook file; the body may be empty or {"message": "..."}. */
  private void save(Context ctx) {
    String body = ctx.body();
    SaveRequest request;
    try {
      request = body.isBlank() ? new SaveRequest(null) : json.readValue(body, SaveRequest.class);
    } catch (JacksonException e) {
      throw new BadRequestResponse(
          "request body must be empty or JSON like {\"message\": \"...\"}: "
              + e.getOriginalMessage());
    }
    var revision =
        workspace.save(ctx.pathParam("name"), request == null ? null : request.message());
    ctx.json(new SaveResult(revision.isPresent(), revision.orElse(null)));
  }

  /** ?from=REV&to=REV (default: the last saved version against the file now). */
  private void diff(Context ctx) {
    String from = ctx.queryParam("from");
    String to = ctx.queryParam("to");
    ctx.contentType("text/x-diff; charset=utf-8")
        .result(
            workspace.diff(
                ctx.pathParam("name"),
                from == null ? "HEAD" : from,
                to == null ? NotebookGit.WORKING : to));
  }

  private void updateCell(Context ctx) {
    SourceUpdate update = parse(ctx.body());
    ctx.json(
        workspace.updateCell(
            ctx.pathParam("name"), ctx.pathParam("id"), update.source(), update.base()));
  }

  private SourceUpdate parse(String body) {
    SourceUpdate update;
    try {
      update = json.readValue(body, SourceUpdate.class);
    } catch (JacksonException e) {
      throw new BadRequestResponse(
          "request body must be JSON like {\"source\": \"...\"}: " + e.getOriginalMessage());
    }
    if (update == null || update.source() == null) {
      throw new BadRequestResponse("request body must carry a string field \"source\"");
    }
    return update;
  }
}
