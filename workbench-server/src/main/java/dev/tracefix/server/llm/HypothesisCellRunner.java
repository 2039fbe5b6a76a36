package dev.tracefix.server.llm;

import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.server.analyst.HypothesisChecks;
import dev.tracefix.server.analyst.ReadOnlyQuery;
import dev.tracefix.server.analyst.TraceAnalyst;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.run.ActionCellRunner;
import dev.tracefix.server.run.CellContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Runs {@code ask} cells. With a model configured ({@link LlmSettings}), the model proposes
 * hypotheses through the privacy gateway, using the tools and grounded by the deterministic
 * analyst; without one, the deterministic analyst answers and the output says so. Either way the
 * workbench runs every check itself. Body keys:
 *
 * <pre>
 * question: why does inventory fail to answer checkout?
 * repo: demo-work/timeout-service   # the target repository: timeouts, code search, culprit diff
 * results: errors, error_rate       # named SQL results to show the model (a sample of each)
 * culprit: culprit                  # a bisect cell's name: its commit's diff goes in the prompt
 * </pre>
 */
public final class HypothesisCellRunner implements ActionCellRunner {
  private static final Set<String> KEYS = Set.of("question", "repo", "results", "culprit");
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

  private final Supplier<HmacKey> key;
  private final Supplier<Policy> policy;
  private final Map<String, String> env;
  private final AuditStore audit;

  /**
   * Redacts under the key store's current key with the default policy; settings from the
   * environment; every request's audit row goes to {@code audit}.
   */
  public HypothesisCellRunner(Supplier<HmacKey> key, AuditStore audit) {
    this(key, PolicyLoader::loadDefault, System.getenv(), audit);
  }

  public HypothesisCellRunner(
      Supplier<HmacKey> key, Supplier<Policy> policy, Map<String, String> env, AuditStore audit) {
    this.key = key;
    this.policy = policy;
    this.env = Map.copyOf(env);
    this.audit = java.util.Objects.requireNonNull(audit, "audit store");
  }

  @Override
  public CellOutput run(Map<String, String> body, CellContext context) {
    Set<String> unknown = new TreeSet<>(body.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      return new CellOutput.Error(
          "parse",
          "ask cell: unknown key(s) " + unknown + "; known keys are " + new TreeSet<>(KEYS),
          "");
    }
    LlmSettings settings;
    Optional<Path> repo;
    try {
      settings = LlmSettings.load(context.notebookDir(), env);
      repo = repo(body.get("repo"), context);
    } catch (LlmException e) {
      return new CellOutput.Error(e.errorKind(), e.getMessage(), "");
    }
    Connection connection = context.sql();
    HypothesisChecks checks = new HypothesisChecks(CHECK_TIMEOUT);
    CellOutput grounding = new TraceAnalyst(checks).ask(connection, body, repo);
    if (!settings.configured()) {
      return grounding instanceof CellOutput.Hypotheses h
          ? new CellOutput.Hypotheses(
              h.items(),
              new CellOutput.Provenance(
                  TraceAnalyst.ANSWERED_BY,
                  "none",
                  null,
                  null,
                  0,
                  "No model is configured ("
                      + LlmSettings.ENV_PROVIDER
                      + " or "
                      + LlmSettings.FILE_NAME
                      + " in the notebook folder), so the deterministic analyst answered"))
          : grounding;
    }
    if (grounding instanceof CellOutput.Error) {
      return grounding;
    }
    try {
      return ask(settings, body, context, connection, repo, grounding, checks);
    } catch (LlmException e) {
      return new CellOutput.Error(e.errorKind(), settings.apiKey().scrub(e.getMessage()), "");
    } catch (SQLException e) {
      return new CellOutput.Error(
          "llm", "could not read the trace for the prompt: " + e.getMessage(), "");
    }
  }

  private CellOutput ask(
      LlmSettings settings,
      Map<String, String> body,
      CellContext context,
      Connection connection,
      Optional<Path> repo,
      CellOutput grounding,
      HypothesisChecks checks)
      throws SQLException {
    PrivacyGateway gateway =
        new PrivacyGateway(TextRedactor.withKey(key.get()), policy.get(), settings.blockTypes());
    GatedModel model =
        new GatedModel(
            ModelClient.of(settings), gateway, new LlmAudit(audit), context.cancellation());
    Optional<RepositoryIndex> index = repo.map(RepositoryIndex::of);
    AnalystTools tools =
        new AnalystTools(
            connection, gateway, settings.maxRows(), CHECK_TIMEOUT, queries(context), index);
    Optional<CulpritDiff> culprit = Optional.empty();
    String culpritCell = body.getOrDefault("culprit", "").strip();
    if (!culpritCell.isEmpty()) {
      if (repo.isEmpty()) {
        return new CellOutput.Error("parse", "ask cell: 'culprit:' needs 'repo:' too", "");
      }
      Optional<CellOutput> bisected = context.result(culpritCell);
      if (bisected.isEmpty() || !(bisected.get() instanceof CellOutput.Bisected b)) {
        return new CellOutput.Error(
            "parse",
            "ask cell: no bisect result named '" + culpritCell + "': run that bisect cell first",
            "");
      }
      culprit = Optional.of(CulpritDiff.of(repo.get(), b.culprit()));
    }
    List<String> results =
        Arrays.stream(body.getOrDefault("results", "").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    String prompt =
        PromptContext.build(
            body.getOrDefault("question", ""),
            tools,
            grounding,
            results,
            index,
            culprit,
            stackSymbols(connection));
    return new ModelAnalyst(model, tools, checks, index.isPresent())
        .hypothesize(connection, prompt);
  }

  /** Function names at the top of the stacks of failed calls, for retrieving the code near them. */
  private static List<String> stackSymbols(Connection connection) {
    try {
      ReadOnlyQuery.Result r =
          ReadOnlyQuery.run(
              connection,
              "SELECT DISTINCT regexp_extract(s.frames[1], '!([^+]+)', 1) AS symbol FROM stacks s"
                  + " JOIN events e ON e.stack_id = s.stack_id AND e.capture_id = s.capture_id"
                  + " WHERE coalesce(e.errno, 0) <> 0 AND len(s.frames) > 0 LIMIT 3",
              3,
              CHECK_TIMEOUT);
      List<String> symbols = new ArrayList<>();
      r.rows()
          .forEach(
              row -> {
                if (row.getFirst() != null && !row.getFirst().toString().isBlank()) {
                  symbols.add(row.getFirst().toString());
                }
              });
      return symbols;
    } catch (ReadOnlyQuery.Refused | SQLException e) {
      return List.of(); // no stacks table, or no stacks: nothing to look up
    }
  }

  private static Optional<Path> queries(CellContext context) {
    for (Path base :
        new Path[] {
          context.projectDir(),
          context.notebookDir() == null ? null : context.notebookDir().getParent()
        }) {
      if (base != null && Files.isDirectory(base.resolve("queries"))) {
        return Optional.of(base.resolve("queries"));
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code repo:} folder, resolved like the fix-loop cells': absolute, project root, notebook
   * folder.
   */
  static Optional<Path> repo(String text, CellContext context) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Path given = Path.of(text.strip());
    if (given.isAbsolute() && Files.isDirectory(given)) {
      return Optional.of(given);
    }
    for (Path base : new Path[] {context.projectDir(), context.notebookDir()}) {
      if (!given.isAbsolute() && base != null && Files.isDirectory(base.resolve(given))) {
        return Optional.of(base.resolve(given).normalize());
      }
    }
    throw new LlmException(
        LlmException.Kind.CONFIG,
        "ask cell: repo '"
            + text.strip()
            + "' is not a folder, neither absolute nor under the project root ("
            + context.projectDir()
            + ") nor under the notebook folder");
  }
}
