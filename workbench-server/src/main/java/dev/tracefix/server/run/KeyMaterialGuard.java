package dev.tracefix.server.run;

import dev.tracefix.capture.privacy.recognize.Finding;
import dev.tracefix.capture.privacy.recognize.Recognizer;
import dev.tracefix.capture.privacy.recognize.Recognizers;
import dev.tracefix.capture.privacy.recognize.TextScanner;
import dev.tracefix.server.message.CellOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last check before a cell's output is kept, shown, exported or handed to a Java snippet: text
 * in the key store's format (capture's {@code KEY_MATERIAL} recognizer) is withheld. The kernels
 * already cannot read the key store (Java cells run unprivileged, SQL cells are locked); this
 * catches a key that got into an output some other way, e.g. in an unlocked workbench.
 */
final class KeyMaterialGuard {
  static final String TYPE = "KEY_MATERIAL";
  static final String WITHHELD = "<" + TYPE + ":withheld>";

  private static final TextScanner SCANNER = new TextScanner(keyMaterial());

  private KeyMaterialGuard() {}

  private static List<Recognizer> keyMaterial() {
    List<Recognizer> found =
        Recognizers.defaults().stream().filter(r -> r.type().equals(TYPE)).toList();
    if (found.isEmpty()) {
      throw new IllegalStateException("capture's recognizers lost " + TYPE);
    }
    return found;
  }

  static String text(String text) {
    if (text == null || text.length() < 64) {
      return text;
    }
    List<Finding> findings = SCANNER.scan(text);
    if (findings.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (Finding f : findings) {
      out.append(text, at, f.start()).append(WITHHELD);
      at = f.end();
    }
    return out.append(text, at, text.length()).toString();
  }

  static CellOutput output(CellOutput output) {
    return switch (output) {
      case CellOutput.Table t ->
          new CellOutput.Table(t.columns(), rows(t.rows()), t.totalRows(), t.chart());
      case CellOutput.Text t -> new CellOutput.Text(text(t.text()));
      case CellOutput.Error e ->
          new CellOutput.Error(e.errorKind(), text(e.message()), text(e.detail()));
      case CellOutput.Hypotheses h ->
          new CellOutput.Hypotheses(
              h.items().stream()
                  .map(
                      i ->
                          new CellOutput.Hypothesis(
                              text(i.statement()),
                              text(i.evidence()),
                              i.checkSql(),
                              i.evidenceKeys().stream().map(KeyMaterialGuard::text).toList(),
                              i.check() == null
                                  ? null
                                  : new CellOutput.Check(
                                      i.check().verdict(),
                                      i.check().columns(),
                                      rows(i.check().rows()),
                                      i.check().totalRows(),
                                      text(i.check().message()))))
                  .toList(),
              h.provenance());
      case CellOutput.Minimized m ->
          new CellOutput.Minimized(
              m.columns(),
              rows(m.rows()),
              m.originalSize(),
              m.oracleCalls(),
              text(m.testScaffold()),
              m.testPath(),
              m.shrunk().stream().map(KeyMaterialGuard::text).toList(),
              m.cacheHitsOnDisk());
      case CellOutput.Bisected b -> b;
      case CellOutput.Patched p ->
          new CellOutput.Patched(
              p.strategy(),
              p.branch(),
              text(p.diff()),
              p.reproPasses(),
              p.reviewPassed(),
              text(p.log()),
              p.candidates(),
              p.accepted(),
              p.pullRequest() == null ? null : text(p.pullRequest()));
    };
  }

  /** Rows as a Java snippet receives them. */
  static List<Map<String, Object>> rowMaps(List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      Map<String, Object> guarded = new LinkedHashMap<>();
      row.forEach((column, value) -> guarded.put(column, value(value)));
      out.add(guarded);
    }
    return out;
  }

  /** Rows of a table or a page. */
  static List<List<Object>> rows(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      out.add(row.stream().map(KeyMaterialGuard::value).toList());
    }
    return out;
  }

  private static Object value(Object value) {
    return switch (value) {
      case String s -> text(s);
      case List<?> list -> list.stream().map(KeyMaterialGuard::value).toList();
      case null, default -> value;
    };
  }
}
