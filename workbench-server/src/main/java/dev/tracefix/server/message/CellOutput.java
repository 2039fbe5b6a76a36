package dev.tracefix.server.message;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tracefix.server.wire.MayBeNull;
import java.util.List;

/**
 * What running a cell produced: a closed set of typed results that the UI, the headless runner and
 * the report render, and that later cells can reference by the producing cell's name. Failures are
 * data too ({@link Error}), never exceptions that escape to the server.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = CellOutput.Table.class, name = "table"),
  @JsonSubTypes.Type(value = CellOutput.Text.class, name = "text"),
  @JsonSubTypes.Type(value = CellOutput.Hypotheses.class, name = "hypotheses"),
  @JsonSubTypes.Type(value = CellOutput.Minimized.class, name = "minimized"),
  @JsonSubTypes.Type(value = CellOutput.Bisected.class, name = "bisected"),
  @JsonSubTypes.Type(value = CellOutput.Patched.class, name = "patched"),
  @JsonSubTypes.Type(value = CellOutput.Error.class, name = "error")
})
public sealed interface CellOutput {

  /**
   * A result set; {@code rows} may be a prefix of {@code totalRows} for display.
   *
   * @param chart the chart the cell's fence asks for ({@code chart=line x=.. y=..}), drawn from the
   *     whole result; null when it asks for none
   */
  record Table(
      List<String> columns,
      List<List<Object>> rows,
      long totalRows,
      @MayBeNull dev.tracefix.server.views.chart.Chart chart)
      implements CellOutput {
    public Table(List<String> columns, List<List<Object>> rows, long totalRows) {
      this(columns, rows, totalRows, null);
    }

    public Table withChart(dev.tracefix.server.views.chart.Chart chart) {
      return new Table(columns, rows, totalRows, chart);
    }
  }

  /** Plain text, e.g. what a Java snippet printed and the value of its last expression. */
  record Text(String text) implements CellOutput {}

  /**
   * Hypotheses, each with the SQL query that checks it against the data and the workbench's verdict
   * from running that query.
   *
   * @param provenance who answered (the deterministic analyst or a model), with what; null for
   *     outputs made before it existed
   */
  record Hypotheses(List<Hypothesis> items, @MayBeNull Provenance provenance)
      implements CellOutput {
    public Hypotheses(List<Hypothesis> items) {
      this(items, null);
    }
  }

  /**
   * One hypothesis.
   *
   * @param statement what is claimed
   * @param evidence the figures it rests on, in words
   * @param checkSql a read-only query that returns rows when the hypothesis holds and none when it
   *     does not
   * @param evidenceKeys the rows it rests on, by key ({@code process_token=p_...}, {@code
   *     peer_hash=...}, {@code time=...}); may be empty
   * @param check what running {@code checkSql} gave; null until the workbench ran it
   */
  record Hypothesis(
      String statement,
      String evidence,
      @MayBeNull String checkSql,
      List<String> evidenceKeys,
      @MayBeNull Check check) {
    public Hypothesis(String statement, String evidence, String checkSql) {
      this(statement, evidence, checkSql, List.of(), null);
    }

    public Hypothesis {
      evidenceKeys = evidenceKeys == null ? List.of() : List.copyOf(evidenceKeys);
    }

    public Hypothesis withCheck(Check check) {
      return new Hypothesis(statement, evidence, checkSql, evidenceKeys, check);
    }
  }

  /**
   * The workbench's verdict on a hypothesis, from running its check query itself: {@code supported}
   * (rows came back), {@code refuted} (none did) or {@code not checkable} (no query, a query that
   * is not read-only, or one that failed or ran out of time; {@code message} says which). {@code
   * rows} is a prefix of {@code totalRows}.
   */
  record Check(
      String verdict,
      List<String> columns,
      List<List<Object>> rows,
      long totalRows,
      String message) {
    public static final String SUPPORTED = "supported";
    public static final String REFUTED = "refuted";
    public static final String NOT_CHECKABLE = "not checkable";
  }

  /**
   * Who produced a set of hypotheses, so a rerun is comparable.
   *
   * @param answeredBy {@code deterministic analyst} or {@code model}
   * @param provider {@code openai}, {@code ollama}, {@code anthropic}, or {@code none}
   * @param model the model name; null for the analyst
   * @param promptSha256 SHA-256 of the prompt as it left the privacy gateway; null for the analyst
   * @param requests requests sent to the model (each recorded in {@code llm_audit})
   * @param note one line for the reader, e.g. that no model is configured
   */
  record Provenance(
      String answeredBy,
      String provider,
      @MayBeNull String model,
      @MayBeNull String promptSha256,
      int requests,
      @MayBeNull String note) {}

  /**
   * A 1-minimal failing input found by delta debugging, its values shrunk where the repro still
   * failed, and the regression test generated from it.
   *
   * @param columns columns of the input rows
   * @param rows the minimal failing rows (after value shrinking)
   * @param originalSize rows in the input
   * @param oracleCalls repro runs made by ddmin (memory and disk cache hits excluded)
   * @param testScaffold the generated regression test (JUnit 5 for a Java target, else a script)
   * @param testPath where the test goes in the target repository
   * @param shrunk what value shrinking changed, one line each
   * @param cacheHitsOnDisk answers taken from the outcome cache on disk (a resumed run)
   */
  record Minimized(
      List<String> columns,
      List<List<Object>> rows,
      int originalSize,
      int oracleCalls,
      String testScaffold,
      String testPath,
      List<String> shrunk,
      int cacheHitsOnDisk)
      implements CellOutput {}

  /**
   * The first bad commit found by bisecting, with the verdict of every tested commit.
   *
   * @param stepCount what {@code git bisect run} would count (probes and merge bases; the checks of
   *     the given ends are listed in {@code steps} but not counted)
   * @param disagreements commits whose repeated runs did not all agree (flaky mode)
   */
  record Bisected(
      String culprit,
      String subject,
      List<BisectStep> steps,
      int stepCount,
      List<String> disagreements)
      implements CellOutput {}

  /**
   * One tested commit; {@code verdict} is good, bad or skip; exitCode as from the repro.
   *
   * @param role {@code probe}, {@code merge base} or {@code end check}
   * @param votes the verdicts of repeated runs, e.g. {@code bad (bad 2, good 1 of 3)}
   */
  record BisectStep(String commit, String verdict, int exitCode, String role, String votes) {}

  /**
   * The patch step: every strategy's candidates through the review gate, and the one chosen.
   *
   * @param strategy the chosen candidate's strategy (or the last one tried when none passed)
   * @param branch the branch holding that candidate
   * @param diff its unified diff (secrets redacted)
   * @param reproPasses whether the repro passes with it applied
   * @param reviewPassed whether it passed every guardrail (only then can it be accepted)
   * @param log what the strategies and checks reported (redacted)
   * @param candidates every candidate, in the order tried
   * @param accepted the accepted commit, when the cell said {@code accept: yes}
   * @param pullRequest the pull-request description (Markdown) of the accepted commit
   */
  record Patched(
      String strategy,
      String branch,
      String diff,
      boolean reproPasses,
      boolean reviewPassed,
      String log,
      List<PatchCandidate> candidates,
      @MayBeNull String accepted,
      @MayBeNull String pullRequest)
      implements CellOutput {}

  /**
   * One drafted candidate and its guardrails; {@code branch} is empty when it was refused for a
   * secret.
   */
  record PatchCandidate(
      String strategy, String summary, String branch, boolean passed, List<Guardrail> guardrails) {}

  /**
   * One guardrail's verdict: {@code pass}, {@code fail}, {@code not run} or {@code not configured}.
   */
  record Guardrail(String name, String status, String detail) {}

  /**
   * A cell that failed.
   *
   * @param errorKind e.g. {@code sql}, {@code java}, {@code parse}, {@code repro}, {@code internal}
   * @param message one line that says what went wrong
   * @param detail more (stack, stderr); may be empty
   */
  record Error(String errorKind, String message, String detail) implements CellOutput {}
}
