package dev.tracefix.capture.privacy.recognize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Finds what the recognizers flag in a text. Line by line: one {@link TextStats} pass per line
 * picks the recognizers worth running, each scans only that line (multi-line ones such as PEM
 * blocks scan the whole text once). Overlaps resolve by recognizer order, then position.
 */
public final class TextScanner {
  private final List<Recognizer> recognizers;

  public TextScanner(List<Recognizer> recognizers) {
    this.recognizers = List.copyOf(recognizers);
  }

  public List<Recognizer> recognizers() {
    return recognizers;
  }

  /** Non-overlapping findings in text order. */
  public List<Finding> scan(String text) {
    List<Finding> raw = new ArrayList<>();
    Matcher[] matchers = new Matcher[recognizers.size()];
    TextStats whole = null;
    for (int r = 0; r < recognizers.size(); r++) {
      Recognizer rec = recognizers.get(r);
      if (rec.multiline()) {
        if (whole == null) {
          whole = new TextStats(text, 0, text.length(), false);
        }
        if (rec.prefilter().test(whole)) {
          find(text, rec, r, matcher(matchers, r, text), 0, text.length(), raw);
        }
      }
    }
    int lineStart = 0;
    int n = text.length();
    while (lineStart <= n) {
      int nl = text.indexOf('\n', lineStart);
      int lineEnd = nl < 0 ? n : nl;
      if (lineEnd > lineStart) {
        TextStats stats = new TextStats(text, lineStart, lineEnd);
        for (int r = 0; r < recognizers.size(); r++) {
          Recognizer rec = recognizers.get(r);
          if (!rec.multiline() && rec.prefilter().test(stats)) {
            find(text, rec, r, matcher(matchers, r, text), lineStart, lineEnd, raw);
          }
        }
      }
      if (nl < 0) {
        break;
      }
      lineStart = nl + 1;
    }
    return resolve(raw);
  }

  private Matcher matcher(Matcher[] matchers, int r, String text) {
    if (matchers[r] == null) {
      matchers[r] = recognizers.get(r).pattern().matcher(text);
    }
    return matchers[r];
  }

  private static void find(
      String text, Recognizer rec, int priority, Matcher m, int from, int to, List<Finding> out) {
    int group = rec.group();
    if (rec.anchor() != null) {
      findAnchored(text, rec, priority, m, from, to, out);
      return;
    }
    m.region(from, to);
    while (m.find()) {
      int start = m.start(group);
      if (start < 0) {
        continue; // the group did not take part in this alternative
      }
      int end = rec.validator().acceptedEnd(m, group, text);
      if (end > start) {
        out.add(new Finding(start, end, rec.type(), priority));
      }
    }
  }

  private static void findAnchored(
      String text, Recognizer rec, int priority, Matcher m, int from, int to, List<Finding> out) {
    int group = rec.group();
    int i = from;
    while (i < to) {
      if (rec.anchor().canStartAt(text, i, to)) {
        m.region(i, to);
        if (m.lookingAt() && m.start(group) >= 0) {
          int start = m.start(group);
          int end = rec.validator().acceptedEnd(m, group, text);
          if (end > start) {
            out.add(new Finding(start, end, rec.type(), priority));
            i = Math.max(end, i + 1);
            continue;
          }
        }
      }
      i++;
    }
  }

  private static List<Finding> resolve(List<Finding> raw) {
    if (raw.size() <= 1) {
      return raw;
    }
    raw.sort(Comparator.comparingInt(Finding::priority).thenComparingInt(Finding::start));
    TreeMap<Integer, Finding> accepted = new TreeMap<>();
    for (Finding f : raw) {
      var before = accepted.floorEntry(f.start());
      if (before != null && before.getValue().end() > f.start()) {
        continue;
      }
      var after = accepted.ceilingEntry(f.start());
      if (after != null && after.getKey() < f.end()) {
        continue;
      }
      accepted.put(f.start(), f);
    }
    return new ArrayList<>(accepted.values());
  }
}
