package dev.tracefix.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.capture.LiveCaptureRequest;
import dev.tracefix.server.capture.LiveCaptureStatus;
import dev.tracefix.server.capture.LiveCaptures;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;

/**
 * The live capture panel's routes: start a bounded capture, read its state, stop it. Its rows are
 * queryable from SQL cells as {@code live_N.events} once it is stored ({@link LiveCaptures}).
 */
final class CaptureRoutes {
  private final LiveCaptures captures;
  private final ObjectMapper json;

  /**
   * @param captures the server's live captures, or null when this server does not capture
   */
  CaptureRoutes(LiveCaptures captures, ObjectMapper json) {
    this.captures = captures;
    this.json = json;
  }

  void register(ApiRoutes api) {
    api.post(
        "/api/captures",
        "starts a bounded capture of a pid or cgroup under the project's privacy policy (one at a"
            + " time: 409 while one runs; 403 when the server may not capture); with jfr, the"
            + " target pid's JVM streams its flight recorder into the capture's jvm_events (400"
            + " when it runs no JVM or cannot be attached); once stored, SQL cells read it as"
            + " catalog live_N",
        LiveCaptureRequest.class,
        LiveCaptureStatus.class,
        this::start);
    api.get(
        "/api/captures/{id}",
        "a live capture's state and its last snapshot: rates, drops, queue depth",
        LiveCaptureStatus.class,
        ctx -> ctx.json(enabled().status(ctx.pathParam("id")).orElseThrow(() -> missing(ctx))));
    api.delete(
        "/api/captures/{id}",
        "stops a live capture early; it still drains and is stored",
        LiveCaptureStatus.class,
        ctx -> ctx.json(enabled().stop(ctx.pathParam("id"))));
  }

  private void start(Context ctx) {
    LiveCaptures live = enabled();
    LiveCaptureRequest request;
    try {
      request = json.readValue(ctx.body(), LiveCaptureRequest.class);
    } catch (JacksonException e) {
      throw new BadRequestResponse(
          "request body must be JSON like {\"probes\":[\"default\"],\"pid\":1234,\"seconds\":5}: "
              + e.getOriginalMessage());
    }
    try {
      ctx.json(live.start(request));
    } catch (LiveCaptures.NotAllowed e) {
      throw new ForbiddenResponse(e.getMessage());
    }
  }

  private LiveCaptures enabled() {
    if (captures == null) {
      throw new ForbiddenResponse(
          "this workbench does not capture; 'tracefix serve' run as root starts captures");
    }
    return captures;
  }

  private static ServerException missing(Context ctx) {
    return new ServerException(
        ServerException.Kind.NOT_FOUND, "no live capture " + ctx.pathParam("id"));
  }
}
