package dev.tracefix.server.cli;

import dev.tracefix.server.demo.DemoSetup;
import dev.tracefix.server.demo.DemoVerdict;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.run.HeadlessRunner;
import dev.tracefix.sink.EventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The whole loop on a sample service: capture it under load, then work the postmortem.",
      "Opens notebooks/postmortem-timeout.md: SQL, hypothesis, minimize, bisect, patch."
    })
final class DemoCommand implements Callable<Integer> {
  static final String NOTEBOOK = "postmortem-timeout.md";

  @Option(
      names = "--check",
      description =
          "run the notebook headless, print one summary line, exit 0 only if the loop closed")
  boolean check;

  @Option(
      names = "--port",
      defaultValue = "7420",
      description = "workbench port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--load",
      defaultValue = "8s",
      description = "how long the sample runs under load (default: ${DEFAULT-VALUE})")
  Duration load;

  @Option(
      names = "--recorded",
      description =
          "use the recorded capture in examples/recorded-capture instead of capturing live")
  boolean recorded;

  @Override
  public Integer call() throws Exception {
    DemoSetup setup = new DemoSetup(ProjectPaths.home(), System.err);
    setup.buildSampleRepo();
    Path dbFile;
    long[] counts;
    // Closed before notebooks run: they attach the store read-only.
    try (EventStore store = setup.freshStoreWithEvents(load, recorded)) {
      dbFile = store.dbFile();
      counts = captureCounts(store);
    }
    if (!check) {
      ServeCommand.serve(
          dbFile,
          ProjectPaths.notebooks(),
          port,
          NOTEBOOK,
          Workbench.Access.LOCKED,
          Limits.defaults(),
          300);
      return 0;
    }
    DemoVerdict verdict = runHeadless(dbFile, counts);
    System.out.println(verdict.summaryLine());
    return verdict.closed() ? 0 : 1;
  }

  private static DemoVerdict runHeadless(Path dbFile, long[] counts) {
    HeadlessRunner.Result result =
        Workbench.headless(dbFile, System.err).run(ProjectPaths.notebooks().resolve(NOTEBOOK));
    List<DemoVerdict.NamedOutput> outputs =
        result.cells().stream().map(c -> new DemoVerdict.NamedOutput(c.id(), c.output())).toList();
    return DemoVerdict.from(counts[0], counts[1], outputs);
  }

  /** Events stored and drops counted, over every capture in the store. */
  private static long[] captureCounts(EventStore store) throws SQLException {
    try (Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM events), (SELECT coalesce(sum(drop_count), 0) FROM captures)")) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2)};
    }
  }
}
