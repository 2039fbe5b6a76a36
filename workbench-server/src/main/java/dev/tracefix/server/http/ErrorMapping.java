package dev.tracefix.server.http;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.run.CellEditConflict;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
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
    routes.exception(CellEditConflict.class, ErrorMapping::editConflict);
    routes.exception(UnsupportedCharsetException.class, ErrorMapping::charset);
    routes.exception(IllegalCharsetNameException.class, ErrorMapping::charset);
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
    answer(ctx, e.getStatus(), code(e.getStatus()), e.getMessage());
  }

  /** Both versions of the cell, so the person can merge; nothing was written. */
  private static void editConflict(CellEditConflict e, Context ctx) {
    ctx.status(409)
        .json(
            new NotebookRoutes.EditConflict(
                "edit_conflict", e.getMessage(), e.cellId(), e.onDisk(), e.yours()));
  }

  /** A Content-Type whose charset the JVM does not know: the body cannot be read as text. */
  private static void charset(IllegalArgumentException e, Context ctx) {
    answer(
        ctx,
        400,
        "bad_request",
        "the request's Content-Type names a charset this server does not know ("
            + ctx.header("Content-Type")
            + "); send the body as UTF-8 with Content-Type: application/json");
  }

  /** The {@code error} word of an {@link ApiError} for an HTTP status. */
  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 413 -> "payload_too_large";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      default -> "http_" + status;
    };
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

  /** Longer messages are cut: one that quotes a huge request value would send it all back. */
  static final int MAX_MESSAGE_CHARS = 2_000;

  private static void answer(Context ctx, int status, String code, String message) {
    ctx.status(status).json(new ApiError(code, clip(message == null ? code : message)));
  }

  static String clip(String message) {
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE_CHARS)
        + "… ("
        + (message.length() - MAX_MESSAGE_CHARS)
        + " more characters)";
  }
}
