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

  /** Hypotheses, each with the SQL query that checks it against the data. */
  record Hypotheses(List<Hypothesis> items) implements CellOutput {}

  record Hypothesis(String statement, String evidence, String checkSql) {}

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
