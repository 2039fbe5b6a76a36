package dev.tracefix.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.notebook.PatchReview;
import dev.tracefix.server.run.NotebookWorkspace;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

/** The patch review of the page: a person's accept or reject of a patch cell's drafted fix. */
final class ReviewRoutes {
  /** The body of {@code POST /api/notebooks/{name}/cells/{id}/review}: accept or reject. */
  record ReviewRequest(String decision) {}

  private final NotebookWorkspace workspace;
  private final ObjectMapper json;

  ReviewRoutes(NotebookWorkspace workspace, ObjectMapper json) {
    this.workspace = workspace;
    this.json = json;
  }

  void register(ApiRoutes api) {
    api.post(
        "/api/notebooks/{name}/cells/{id}/review",
        "a person's decision on a patch cell's drafted fix, kept in its body (accept: yes|no);"
            + " accept re-runs the cell so the fix is committed only through the review gate",
        ReviewRequest.class,
        NotebookWorkspace.NotebookView.class,
        this::review);
  }

  private void review(Context ctx) {
    ReviewRequest request;
    try {
      request = json.readValue(ctx.body(), ReviewRequest.class);
    } catch (JacksonException e) {
      throw new BadRequestResponse(
          "request body must be JSON like {\"decision\": \"accept\"}: " + e.getOriginalMessage());
    }
    PatchReview.Decision decision;
    try {
      decision = PatchReview.Decision.parse(request == null ? null : request.decision());
    } catch (IllegalArgumentException e) {
      throw new BadRequestResponse(e.getMessage());
    }
    ctx.json(workspace.reviewPatch(ctx.pathParam("name"), ctx.pathParam("id"), decision));
  }
}
