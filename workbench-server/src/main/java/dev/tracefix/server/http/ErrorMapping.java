package dev.tracefix.server.http;

import dev.tracefix.server.ServerException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers. Cell failures never get here: they are {@code
 * CellOutput.Error} values returned with 200.
 */
final class ErrorMapping {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  private ErrorMapping() {}

  static void register(RoutesConfig routes) {
    routes.exception(ServerException.class, ErrorMapping::workspace);
    routes.exception(HttpResponseException.class, ErrorMapping::httpResponse);
    routes.exception(Exception.class, ErrorMapping::unexpected);
  }

  private static void workspace(ServerException e, Context ctx) {
    switch (e.kind()) {
      case NOT_FOUND -> answer(ctx, 404, "not_found", e.getMessage());
      case MALFORMED -> answer(ctx, 422, "malformed_notebook", e.getMessage());
      case INVALID -> answer(ctx, 400, "bad_request", e.getMessage());
      case CONFLICT -> answer(ctx, 409, "conflict", e.getMessage());
      case IO -> {
        log.warn("notebook I/O failed on {} {}: {}", ctx.method(), ctx.path(), e.getMessage(), e);
        answer(ctx, 500, "io", e.getMessage());
      }
      case EXTERNAL -> {
        log.warn("a program failed on {} {}: {}", ctx.method(), ctx.path(), e.getMessage(), e);
        answer(ctx, 502, "external", e.getMessage());
      }
    }
  }

  /** Javalin's own (404 for unknown routes, 405) and ours (400 bad body, 401 no token). */
  private static void httpResponse(HttpResponseException e, Context ctx) {
    String code =
        switch (e.getStatus()) {
          case 400 -> "bad_request";
          case 401 -> "unauthorized";
          case 403 -> "forbidden";
          case 413 -> "payload_too_large";
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          default -> "http_" + e.getStatus();
        };
    answer(ctx, e.getStatus(), code, e.getMessage());
  }

  private static void unexpected(Exception e, Context ctx) {
    log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
    answer(
        ctx,
        500,
        "internal",
        e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + " (the server log has the stack trace)");
  }

  private static void answer(Context ctx, int status, String code, String message) {
    ctx.status(status).json(new ApiError(code, message == null ? code : message));
  }
}
