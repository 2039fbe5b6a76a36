package dev.tracefix.capture.privacy.recognize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what the recognizers flag in a text. Line by line: one {@link TextStats} pass per line
 * picks the recognizers worth running, each scans only that line (multi-line ones such as PEM
 * blocks scan the whole text once). The anchored ones share a single pass over the line that finds,
 * per character, which of them may start there. Overlaps resolve by recognizer order, then
 * position.
 */
public final class TextScanner {
  /**
   * A placeholder a redactor already wrote ({@code <SECRET:0a1b2c3d>}). Its type word can read as a
   * secret's key ({@code SECRET:0a1b2c3d}, {@code AUTH:...}), so without this a second pass would
   * nest placeholders; redacted text must come out of another pass unchanged.
   */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("<[A-Z][A-Z0-9_]{0,31}:[0-9a-f]{8,64}>");

  /** Anchored recognizers beyond this many take one pass each. */
  private static final int SHARED_PASS_LIMIT = Long.SIZE;

  private final List<Recognizer> recognizers;

  /** Bit k of the masks below stands for recognizer {@code shared[k]}. */
  private final int[] shared;

  /** For each recognizer index, its bit in the shared pass, or -1. */
  private final int[] sharedBit;

  /** Per ASCII character: recognizers that may start at it. */
  private final long[] startsAt = new long[128];

  /** Per ASCII character: recognizers that may not start right after it. */
  private final long[] notAfter = new long[128];

  public TextScanner(List<Recognizer> recognizers) {
    this.recognizers = List.copyOf(recognizers);
    this.sharedBit = new int[this.recognizers.size()];
    int[] picked = new int[SHARED_PASS_LIMIT];
    int count = 0;
    for (int r = 0; r < this.recognizers.size(); r++) {
      Recognizer rec = this.recognizers.get(r);
      sharedBit[r] = -1;
      if (rec.anchor() != null && !rec.multiline() && count < SHARED_PASS_LIMIT) {
        long bit = 1L << count;
        boolean[] start = rec.anchor().start();
        boolean[] after = rec.anchor().notAfter();
        for (int c = 0; c < 128; c++) {
          if (c < start.length && start[c]) {
            startsAt[c] |= bit;
          }
          if (c < after.length && after[c]) {
            notAfter[c] |= bit;
          }
        }
        sharedBit[r] = count;
        picked[count++] = r;
      }
    }
    this.shared = Arrays.copyOf(picked, count);
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
        long active = 0;
        for (int r = 0; r < recognizers.size(); r++) {
          Recognizer rec = recognizers.get(r);
          if (!rec.multiline() && rec.prefilter().test(stats)) {
            if (sharedBit[r] >= 0) {
              active |= 1L << sharedBit[r];
            } else {
              find(text, rec, r, matcher(matchers, r, text), lineStart, lineEnd, raw);
            }
          }
        }
        if (active != 0) {
          findShared(text, active, matchers, lineStart, lineEnd, raw);
        }
      }
      if (nl < 0) {
        break;
      }
      lineStart = nl + 1;
    }
    return outsidePlaceholders(text, resolve(raw));
  }

  /**
   * Drops findings that lie wholly inside a placeholder. One that only overlaps a placeholder is
   * kept: it may be a real secret (a key block) that merely contains one.
   */
  private static List<Finding> outsidePlaceholders(String text, List<Finding> findings) {
    if (findings.isEmpty() || text.indexOf('<') < 0) {
      return findings;
    }
    List<int[]> spans = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    if (spans.isEmpty()) {
      return findings;
    }
    List<Finding> kept = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      boolean inside = false;
      for (int[] span : spans) {
        if (f.start() >= span[0] && f.end() <= span[1]) {
          inside = true;
          break;
        }
      }
      if (!inside) {
        kept.add(f);
      }
    }
    return kept;
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

  /**
   * The anchored recognizers in {@code active}, in one pass over {@code [from, to)}: the same
   * positions and matches as {@link #findAnchored} for each of them.
   */
  private void findShared(
      String text, long active, Matcher[] matchers, int from, int to, List<Finding> out) {
    int[] resumeAt = null; // per shared bit: after a finding, the next position it is tried at
    char prev = from > 0 ? text.charAt(from - 1) : 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      long candidates = c < 128 ? startsAt[c] & active : 0;
      if (candidates != 0 && i > 0 && prev < 128) {
        candidates &= ~notAfter[prev];
      }
      prev = c;
      while (candidates != 0) {
        int k = Long.numberOfTrailingZeros(candidates);
        candidates &= candidates - 1;
        if (resumeAt != null && i < resumeAt[k]) {
          continue;
        }
        int r = shared[k];
        Recognizer rec = recognizers.get(r);
        if (!rec.anchor().check().mayStartAt(text, i, to)) {
          continue;
        }
        int group = rec.group();
        Matcher m = matcher(matchers, r, text);
        m.region(i, to);
        if (m.lookingAt() && m.start(group) >= 0) {
          int start = m.start(group);
          int end = rec.validator().acceptedEnd(m, group, text);
          if (end > start) {
            out.add(new Finding(start, end, rec.type(), r));
            if (resumeAt == null) {
              resumeAt = new int[shared.length];
            }
            resumeAt[k] = Math.max(end, i + 1);
          }
        }
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
