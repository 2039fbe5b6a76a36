package dev.tracefix.server.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What running a cell produced: a closed set of typed results that the UI, the headless runner
 * and the report render, and that later cells can reference by the producing cell's name.
 * Failures are data too ({@link Error}), never exceptions that escape to the server.
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

  /** A result set; {@code rows} may be a prefix of {@code totalRows} for display. */
  record Table(List<String> columns, List<List<Object>> rows, long totalRows) implements CellOutput {}

  /** Plain text, e.g. what a Java snippet printed and the value of its last expression. */
  record Text(String text) implements CellOutput {}

  /**
   * Hypotheses, each with the SQL query that checks it against the data and the workbench's
   * verdict from running that query.
   *
   * @param provenance who answered (the deterministic analyst or a model), with what; null for
   *     outputs made before it existed
   */
  record Hypotheses(List<Hypothesis> items, Provenance provenance) implements CellOutput {
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
      String statement, String evidence, String checkSql, List<String> evidenceKeys, Check check) {
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
   * The workbench's verdict on a hypothesis, from running its check query itself: {@code
   * supported} (rows came back), {@code refuted} (none did) or {@code not checkable} (no query, a
   * query that is not read-only, or one that failed or ran out of time; {@code message} says
   * which). {@code rows} is a prefix of {@code totalRows}.
   */
  record Check(
      String verdict, List<String> columns, List<List<Object>> rows, long totalRows, String message) {
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
      String model,
      String promptSha256,
      int requests,
      String note) {}

  /**
   * A 1-minimal failing input found by delta debugging.
   *
   * @param columns columns of the input rows
   * @param rows the minimal failing rows
   * @param originalSize rows in the input
   * @param oracleCalls repro runs made (cache hits excluded)
   * @param testScaffold a JUnit 5 test that replays the minimal sequence
   */
  record Minimized(
      List<String> columns,
      List<List<Object>> rows,
      int originalSize,
      int oracleCalls,
      String testScaffold)
      implements CellOutput {}

  /** The first bad commit found by bisecting, with the verdict of every step. */
  record Bisected(String culprit, String subject, List<BisectStep> steps) implements CellOutput {}

  /** One tested commit; {@code verdict} is good, bad or skip; exitCode as from the repro. */
  record BisectStep(String commit, String verdict, int exitCode) {}

  /**
   * A drafted patch applied on its own branch and checked.
   *
   * @param strategy how the diff was drafted, e.g. {@code revert-culprit-hunks}
   * @param branch the branch holding the patch
   * @param diff unified diff of the patch
   * @param reproPasses whether the repro passes with the patch applied
   * @param log what the checks printed (redacted)
   */
  record Patched(String strategy, String branch, String diff, boolean reproPasses, String log)
      implements CellOutput {}

  /**
   * A cell that failed.
   *
   * @param errorKind e.g. {@code sql}, {@code java}, {@code parse}, {@code repro}, {@code internal}
   * @param message one line that says what went wrong
   * @param detail more (stack, stderr); may be empty
   */
  record Error(String errorKind, String message, String detail) implements CellOutput {}
}
