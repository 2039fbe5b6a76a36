package dev.tracefix.server.llm;

import dev.tracefix.server.message.CellOutput;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The first message to the model: the question, the schema, the saved-query catalog, the
 * deterministic analyst's checked findings, samples of the named results the cell selects, and —
 * with a repository — the culprit's diff and the code nearest to the question, the culprit's files
 * and the symbols in captured stacks. Built from raw text; the gateway redacts it on the way out
 * like everything else.
 */
final class PromptContext {
  private static final int ANALYST_FINDINGS = 6;

  private PromptContext() {}

  static String build(
      String question,
      AnalystTools tools,
      CellOutput grounding,
      List<String> results,
      Optional<RepositoryIndex> repository,
      Optional<CulpritDiff> culprit,
      List<String> stackSymbols)
      throws SQLException {
    StringBuilder sb = new StringBuilder();
    sb.append("Question: ")
        .append(question.isBlank() ? "what went wrong in this trace?" : question)
        .append("\n\n");
    sb.append("## Tables and columns\n").append(tools.tables()).append("\n\n");
    sb.append("## Saved queries (read one with read_saved_query)\n")
        .append(tools.savedQueries())
        .append("\n\n");
    if (grounding instanceof CellOutput.Hypotheses h && !h.items().isEmpty()) {
      sb.append("## The deterministic analyst's findings (with the workbench's verdicts)\n");
      h.items().stream()
          .limit(ANALYST_FINDINGS)
          .forEach(
              i ->
                  sb.append("- ")
                      .append(i.statement())
                      .append("\n  evidence: ")
                      .append(i.evidence())
                      .append("\n  verdict: ")
                      .append(i.check() == null ? "not run" : i.check().verdict())
                      .append("\n  check: ")
                      .append(String.valueOf(i.checkSql()).replaceAll("\\s+", " "))
                      .append('\n'));
      sb.append('\n');
    }
    for (String result : results) {
      sb.append("## Named result ")
          .append(result.strip())
          .append(" (a sample)\n")
          .append(tools.sample(result))
          .append("\n\n");
    }
    if (culprit.isPresent()) {
      CulpritDiff c = culprit.get();
      sb.append("## Culprit commit ")
          .append(c.commit(), 0, 12)
          .append(" \"")
          .append(c.subject())
          .append("\"\n")
          .append(c.diff())
          .append("\n\n");
    }
    if (repository.isPresent()) {
      Set<String> seen = new LinkedHashSet<>();
      StringBuilder code = new StringBuilder();
      for (RepositoryIndex.Snippet s : repository.get().search(question, 3)) {
        add(code, seen, s);
      }
      if (culprit.isPresent()) {
        for (String file : culprit.get().files()) {
          repository.get().searchIn(file, culprit.get().diff(), 1).forEach(s -> add(code, seen, s));
        }
      }
      for (String symbol : stackSymbols) {
        repository.get().search(symbol, 1).forEach(s -> add(code, seen, s));
      }
      if (!code.isEmpty()) {
        sb.append(
                "## Repository code near the question, the culprit and the stacks (search_repository finds more)\n")
            .append(code)
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static void add(StringBuilder code, Set<String> seen, RepositoryIndex.Snippet s) {
    if (seen.add(s.header())) {
      code.append("--- ").append(s.header()).append('\n').append(s.text()).append('\n');
    }
  }
}
