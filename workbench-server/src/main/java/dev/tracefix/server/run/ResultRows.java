package dev.tracefix.server.run;

import dev.tracefix.server.message.CellOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cell output as rows of column-name maps, the shape Java cells read named results in. */
final class ResultRows {
  private ResultRows() {}

  static List<Map<String, Object>> of(CellOutput output) {
    return switch (output) {
      case CellOutput.Table t -> table(t.columns(), t.rows());
      case CellOutput.Minimized m -> table(m.columns(), m.rows());
      case CellOutput.Text t -> List.of(row("text", t.text()));
      case CellOutput.Hypotheses h ->
          h.items().stream()
              .map(
                  i -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("statement", i.statement());
                    r.put("evidence", i.evidence());
                    r.put("checkSql", i.checkSql());
                    r.put("verdict", i.check() == null ? null : i.check().verdict());
                    return r;
                  })
              .toList();
      case CellOutput.Bisected b ->
          b.steps().stream()
              .map(
                  s -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("commit", s.commit());
                    r.put("verdict", s.verdict());
                    r.put("exitCode", s.exitCode());
                    r.put("role", s.role());
                    r.put("culprit", s.commit().equals(b.culprit()));
                    return r;
                  })
              .toList();
      case CellOutput.Patched p -> {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("strategy", p.strategy());
        r.put("branch", p.branch());
        r.put("diff", p.diff());
        r.put("reproPasses", p.reproPasses());
        r.put("reviewPassed", p.reviewPassed());
        r.put("accepted", p.accepted());
        yield List.of(r);
      }
      case CellOutput.Error e -> {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("errorKind", e.errorKind());
        r.put("message", e.message());
        yield List.of(r);
      }
    };
  }

  private static List<Map<String, Object>> table(List<String> columns, List<List<Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Object> values : rows) {
      Map<String, Object> r = new LinkedHashMap<>();
      for (int c = 0; c < columns.size(); c++) {
        r.put(columns.get(c), c < values.size() ? values.get(c) : null);
      }
      out.add(r);
    }
    return out;
  }

  private static Map<String, Object> row(String key, Object value) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put(key, value);
    return r;
  }
}
