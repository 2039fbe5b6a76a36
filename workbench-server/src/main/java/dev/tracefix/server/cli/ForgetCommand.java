package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.server.ServerException;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.ForgetResult;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracefix forget}: deletes one subject's rows from a database and from Parquet exports of
 * it, and records the deletion (a digest of the subject, never the subject) in {@code deletions}.
 */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Delete every row of one process token, cgroup or capture from a database and from Parquet"
          + " exports of it; the deletions table records when, a SHA-256 digest of the subject"
          + " and the rows per table, never the subject itself.",
      "With --retention it also enforces the default policy's retention (e.g. events=14d),"
          + " with the tables given overridden, and prints what that deleted."
    })
final class ForgetCommand implements Callable<Integer> {
  @Option(names = "--db", required = true, paramLabel = "FILE", description = "DuckDB file")
  Path db;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which subject;

  @Option(
      names = "--parquet",
      paramLabel = "DIR",
      description = "a folder written by tracefix export to remove the rows from too (repeatable)")
  List<Path> parquet = new ArrayList<>();

  @Option(
      names = "--retention",
      paramLabel = "TABLE=AGE",
      description =
          "also enforce retention, e.g. events=7d, captures=90d, events=forever (repeatable;"
              + " tables not given keep the default policy's retention); without it nothing but"
              + " the subject is deleted")
  List<String> retention = new ArrayList<>();

  /** Exactly one subject; picocli refuses none or two with a usage error (exit 2). */
  static final class Which {
    @Option(names = "--token", paramLabel = "T", description = "a process token (p_…)")
    String token;

    @Option(names = "--cgroup", paramLabel = "C", description = "a cgroup path or container id")
    String cgroup;

    @Option(names = "--capture", paramLabel = "ID", description = "a capture id")
    String capture;

    Subject subject() {
      if (token != null) {
        return new Subject.Token(token);
      }
      if (cgroup != null) {
        return new Subject.Cgroup(cgroup);
      }
      return new Subject.Capture(capture);
    }
  }

  @Override
  public Integer call() {
    if (!Files.exists(db)) {
      throw new ServerException(
          ServerException.Kind.INVALID, "no database at " + db + "; give the --db a capture wrote");
    }
    Retention rules = Stores.retention(PolicyLoader.loadDefault());
    for (String spec : retention) {
      rules = rules.with(spec); // parsed before the database is opened: a typo deletes nothing
    }
    Subject target = subject.subject();
    ForgetResult result;
    try (EventStore store =
        retention.isEmpty() ? Stores.open(db) : Stores.openApplying(db, rules, System.out)) {
      result = store.forget(target, parquet);
    } // closing rewrites the file, so the deleted values leave no bytes behind
    System.out.printf("forgot %s %s%n", result.subjectKind(), result.subjectDigest());
    result
        .rowsByTable()
        .forEach((table, rows) -> System.out.printf("  %-22s %d rows%n", table, rows));
    System.out.printf(
        "%d rows deleted, %d Parquet files rewritten; recorded in the deletions table of %s%n",
        result.totalRows(), result.parquetFilesRewritten(), db);
    return 0;
  }
}
