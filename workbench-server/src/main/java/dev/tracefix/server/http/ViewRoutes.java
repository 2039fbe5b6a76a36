package dev.tracefix.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.run.NotebookWorkspace;
import dev.tracefix.server.views.Selection;
import dev.tracefix.server.views.chart.ChartSpec;
import dev.tracefix.server.views.flame.FlameGraph;
import dev.tracefix.server.views.flame.FlameQuery;
import dev.tracefix.server.views.flame.FlameTree;
import dev.tracefix.server.views.flame.FoldedStacks;
import dev.tracefix.server.views.timeline.Timeline;
import dev.tracefix.server.views.timeline.TimelineQuery;
import dev.tracefix.server.views.timeline.TraceEventExport;
import dev.tracefix.server.wire.MayBeNull;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trace views of a notebook: the timeline and the flame graph of any SQL cell's kept result
 * ({@code ?cell=ID}) or of the store's events, and their exports. Thin handlers: the views
 * themselves live in {@code views}.
 */
final class ViewRoutes {
  /**
   * The body of {@code PUT /api/notebooks/{name}/cells/{id}/chart}: a chart type ({@code line},
   * {@code area}, {@code bar}, {@code histogram}, {@code scatter}) with its columns, or type {@code
   * none} to remove the chart.
   */
  record ChartRequest(String type, @MayBeNull String x, @MayBeNull List<String> y) {}

  private final NotebookWorkspace workspace;
  private final ObjectMapper json;

  ViewRoutes(NotebookWorkspace workspace, ObjectMapper json) {
    this.workspace = workspace;
    this.json = json;
  }

  void register(ApiRoutes api) {
    api.put(
        "/api/notebooks/{name}/cells/{id}/chart",
        "sets the chart a SQL cell draws (kept in its fence: chart=line x=.. y=..; type none"
            + " removes it), saves the file and draws it from the kept result without a re-run",
        ChartRequest.class,
        NotebookWorkspace.NotebookView.class,
        this::setChart);
    api.get(
        "/api/notebooks/{name}/timeline",
        "the timeline of a SQL cell's result (?cell=ID) or of the store's events in a window"
            + " (?from=&to= nanoseconds from the selection's origin, &width= pixels): tracks per"
            + " process, thread and connection, slices, per-bucket sums and instants, bounded by"
            + " the width whatever the events in view; the store's JVM flight-recorder rows of the"
            + " selection's processes on tracks of kind jvm under their thread's",
        Timeline.class,
        this::timeline);
    api.getText(
        "/api/notebooks/{name}/timeline.json",
        "the same selection and window as Chrome Trace Event Format JSON (opens in Perfetto UI)",
        ApiRoutes.JSON,
        this::traceEvents);
    api.get(
        "/api/notebooks/{name}/flame",
        "the flame graph of a SQL cell's result's stacks (?cell=ID, &weight=events|duration);"
            + " &against=ID makes it differential against another cell's result",
        FlameGraph.class,
        this::flame);
    api.getText(
        "/api/notebooks/{name}/flame.folded",
        "the stacks of a SQL cell's result as folded text (flamegraph.pl, speedscope)",
        "text/plain",
        this::folded);
  }

  private void setChart(Context ctx) {
    ChartRequest request;
    try {
      request = json.readValue(ctx.body(), ChartRequest.class);
    } catch (JacksonException e) {
      throw new BadRequestResponse(
          "request body must be JSON like {\"type\": \"line\", \"x\": \"second\", \"y\":"
              + " [\"errors\"]}: "
              + e.getOriginalMessage());
    }
    if (request == null || request.type() == null) {
      throw new BadRequestResponse("request body must name a chart type, or \"none\"");
    }
    ChartSpec spec = null;
    if (!request.type().equals("none")) {
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("chart", request.type());
      if (request.x() != null) {
        attributes.put("x", request.x());
      }
      if (request.y() != null && !request.y().isEmpty()) {
        attributes.put("y", String.join(",", request.y()));
      }
      try {
        spec = ChartSpec.of(attributes).orElseThrow();
      } catch (IllegalArgumentException e) {
        throw new BadRequestResponse(e.getMessage());
      }
    }
    ctx.json(workspace.setChart(ctx.pathParam("name"), ctx.pathParam("id"), spec));
  }

  private void timeline(Context ctx) {
    Optional<String> cell = cell(ctx);
    TimelineQuery.Window window =
        window(
            ctx,
            Optional.ofNullable(longParam(ctx, "from")),
            Optional.ofNullable(longParam(ctx, "to")));
    ctx.json(
        workspace.readSelection(
            ctx.pathParam("name"),
            cell,
            (c, relation, store) ->
                new TimelineQuery(c, Selection.of(c, relation), store, cell.isPresent())
                    .draw(window)));
  }

  private static TimelineQuery.Window window(Context ctx, Optional<Long> from, Optional<Long> to) {
    Long width = longParam(ctx, "width");
    try {
      return new TimelineQuery.Window(
          from, to, width == null ? TimelineQuery.DEFAULT_WIDTH : Math.toIntExact(width));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BadRequestResponse(e.getMessage());
    }
  }

  private void traceEvents(Context ctx) {
    Optional<String> cell = cell(ctx);
    Long from = longParam(ctx, "from");
    Long to = longParam(ctx, "to");
    String file = cell.orElse("events") + ".trace.json";
    workspace.readSelection(
        ctx.pathParam("name"),
        cell,
        (c, relation, store) -> {
          Selection selection = Selection.of(c, relation);
          selection.requireTimestamp("time", "trace export", "when each event completed");
          ctx.contentType(ApiRoutes.JSON);
          ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
          return TraceEventExport.write(c, selection, store, from, to, ctx.outputStream());
        });
  }

  private void flame(Context ctx) {
    String name = ctx.pathParam("name");
    Optional<String> cell = Optional.of(requiredCell(ctx));
    FlameQuery.Weight weight = weight(ctx);
    FlameQuery.Stacks stacks = stacks(name, cell, weight);
    String against = ctx.queryParam("against");
    FlameQuery.Stacks baseline =
        against == null || against.isBlank() ? null : stacks(name, Optional.of(against), weight);
    ctx.json(FlameTree.of(weight, stacks, baseline));
  }

  private void folded(Context ctx) {
    String cell = requiredCell(ctx);
    String text = FoldedStacks.of(stacks(ctx.pathParam("name"), Optional.of(cell), weight(ctx)));
    ctx.header("Content-Disposition", "attachment; filename=\"" + cell + ".folded\"");
    ctx.contentType("text/plain; charset=utf-8").result(text);
  }

  private FlameQuery.Stacks stacks(String name, Optional<String> cell, FlameQuery.Weight weight) {
    return workspace.readSelection(
        name,
        cell,
        (c, relation, store) -> FlameQuery.read(c, Selection.of(c, relation), store, weight));
  }

  private static FlameQuery.Weight weight(Context ctx) {
    try {
      return FlameQuery.Weight.parse(ctx.queryParam("weight"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestResponse(e.getMessage());
    }
  }

  private static Optional<String> cell(Context ctx) {
    String cell = ctx.queryParam("cell");
    return cell == null || cell.isBlank() ? Optional.empty() : Optional.of(cell);
  }

  private static String requiredCell(Context ctx) {
    return cell(ctx)
        .orElseThrow(
            () ->
                new BadRequestResponse(
                    "name the SQL cell whose result to draw: ?cell=ID (its rows need a stack_id)"));
  }

  private static Long longParam(Context ctx, String param) {
    String value = ctx.queryParam(param);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new BadRequestResponse(
          param + " must be a whole number of nanoseconds, not '" + value + "'");
    }
  }
}
