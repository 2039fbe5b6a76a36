package dev.tracefix.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.capture.LiveCaptures;
import dev.tracefix.server.metrics.MetricsText;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.run.NotebookWorkspace;
import dev.tracefix.server.run.ProgressListener;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;

/**
 * The workbench's HTTP server: the browser UI (classpath folder {@code /web}) and the notebook API
 * over a {@link NotebookWorkspace}. It listens on 127.0.0.1 only, every API call needs the token
 * printed at start, and {@link RequestGuard} refuses foreign hosts and origins, like Jupyter.
 */
public final class WorkbenchServer implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  static final long MAX_REQUEST_BYTES = 1024 * 1024;

  private final Javalin app;
  private final String token;
  private final ProgressEvents progress;
  private final List<ApiRoutes.Route> api;

  private WorkbenchServer(
      Javalin app, String token, ProgressEvents progress, List<ApiRoutes.Route> api) {
    this.app = app;
    this.token = token;
    this.progress = progress;
    this.api = api;
  }

  /**
   * Starts serving {@code workspace}.
   *
   * @param port the port to bind on 127.0.0.1; 0 picks a free one (see {@link #port()})
   * @param token the access token; {@code null} generates a random one
   */
  public static WorkbenchServer start(NotebookWorkspace workspace, int port, String token) {
    return start(workspace, port, token, null);
  }

  /**
   * Starts serving {@code workspace} with postmortem reports at {@code
   * /api/notebooks/{name}/report}.
   *
   * @param reports renders reports of the workspace's sessions; null serves none
   */
  public static WorkbenchServer start(
      NotebookWorkspace workspace, int port, String token, NotebookReports reports) {
    return start(workspace, port, token, reports, Set.of());
  }

  /**
   * Starts serving {@code workspace}, reachable under the loopback names and {@code extraHosts}
   * (e.g. a name an SSH tunnel or a proxy uses); any other {@code Host} is refused.
   */
  public static WorkbenchServer start(
      NotebookWorkspace workspace,
      int port,
      String token,
      NotebookReports reports,
      Set<String> extraHosts) {
    return start(workspace, port, token, reports, extraHosts, null);
  }

  /**
   * Starts serving {@code workspace} with the live capture routes over {@code captures} (null: they
   * answer 403, this server does not capture).
   */
  public static WorkbenchServer start(
      NotebookWorkspace workspace,
      int port,
      String token,
      NotebookReports reports,
      Set<String> extraHosts,
      LiveCaptures captures) {
    TokenAuth auth = new TokenAuth(token == null ? TokenAuth.generate() : token);
    RequestGuard guard = new RequestGuard(auth, extraHosts);
    ObjectMapper json = JsonMapping.create();
    NotebookRoutes notebooks = new NotebookRoutes(workspace, json, reports);
    ProgressEvents progress = new ProgressEvents(json);
    ApiRoutes[] holder = new ApiRoutes[1];
    Javalin app =
        Javalin.create(
            config -> {
              ApiRoutes api = new ApiRoutes(config.routes);
              holder[0] = api;
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jsonMapper(new JavalinJackson(json, false));
              // Cell sources and notebook edits are small; a bigger body is a mistake or an
              // attack, answered 413 before it is read into memory.
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              JsonErrorHandler jettyErrors = new JsonErrorHandler(json);
              config.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors));
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/";
                    files.directory = "/web";
                    files.location = Location.CLASSPATH;
                  });
              config.routes.before(SecurityHeaders::app);
              config.routes.before(guard::handle);
              notebooks.register(api);
              new EditorRoutes(workspace, json).register(api);
              new ViewRoutes(workspace, json).register(api);
              new ReviewRoutes(workspace, json).register(api);
              new CaptureRoutes(captures, json).register(api);
              progress.register(api);
              api.getText(
                  "/api/metrics",
                  "the server's heap, threads, sessions, running cells and snippet VMs"
                      + " (Prometheus text format)",
                  MetricsText.CONTENT_TYPE,
                  ctx ->
                      ctx.contentType(MetricsText.CONTENT_TYPE)
                          .result(
                              MetricsText.renderWorkbench(
                                  workspace.stats(),
                                  ManagementFactory.getMemoryMXBean().getHeapMemoryUsage(),
                                  ManagementFactory.getThreadMXBean().getThreadCount())));
              api.getText(
                  "/api/openapi.json",
                  "this document",
                  ApiRoutes.JSON,
                  ctx -> ctx.contentType(ApiRoutes.JSON).result(openApiDocument()));
              ErrorMapping.register(config.routes);
            });
    if (captures != null) {
      captures.addListener(progress::capture);
    }
    app.start(HOST, port);
    return new WorkbenchServer(app, auth.token(), progress, holder[0].documented());
  }

  /** The committed OpenAPI document of this API (checked against the routes by a test). */
  static String openApiDocument() {
    try (var in = WorkbenchServer.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the server's resources");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The documented routes, as the router serves them. */
  List<ApiRoutes.Route> apiRoutes() {
    return api;
  }

  public int port() {
    return app.port();
  }

  public String token() {
    return token;
  }

  /**
   * Every HTTP route as {@code METHOD /path/{param}}, read from the router: tests walk them all, so
   * a route added later cannot miss the guards.
   */
  public List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(p -> p.endpoint.method.isHttpMethod()) // not the before/after filters
        .map(p -> p.endpoint.method.name() + " " + p.endpoint.path)
        .sorted()
        .toList();
  }

  /** The address to open in a browser; it carries the token. */
  public String url() {
    return "http://" + HOST + ":" + port() + "/?token=" + token;
  }

  /**
   * Forwards cell progress to open pages; register it with the workspace (e.g. {@code
   * FileNotebookWorkspace.addProgressListener}) to show long cells' progress live.
   */
  public ProgressListener progressListener() {
    return progress;
  }

  @Override
  public void close() {
    app.stop();
  }
}
