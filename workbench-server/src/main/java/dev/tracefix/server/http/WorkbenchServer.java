package dev.tracefix.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.run.NotebookWorkspace;
import dev.tracefix.server.run.ProgressListener;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;

/**
 * The workbench's HTTP server: the browser UI (classpath folder {@code /web}) and the notebook
 * API over a {@link NotebookWorkspace}. It listens on 127.0.0.1 only and every API call needs
 * the token printed at start, like Jupyter.
 */
public final class WorkbenchServer implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  private final Javalin app;
  private final String token;
  private final ProgressEvents progress;

  private WorkbenchServer(Javalin app, String token, ProgressEvents progress) {
    this.app = app;
    this.token = token;
    this.progress = progress;
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
    TokenAuth auth = new TokenAuth(token == null ? TokenAuth.generate() : token);
    ObjectMapper json = JsonMapping.create();
    NotebookRoutes notebooks = new NotebookRoutes(workspace, json, reports);
    ProgressEvents progress = new ProgressEvents(json);
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jsonMapper(new JavalinJackson(json, false));
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/";
                    files.directory = "/web";
                    files.location = Location.CLASSPATH;
                  });
              config.routes.before(auth::handle);
              notebooks.register(config.routes);
              progress.register(config.routes);
              ErrorMapping.register(config.routes);
            });
    app.start(HOST, port);
    return new WorkbenchServer(app, auth.token(), progress);
  }

  public int port() {
    return app.port();
  }

  public String token() {
    return token;
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
