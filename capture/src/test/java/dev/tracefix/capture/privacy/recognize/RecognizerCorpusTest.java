package dev.tracefix.capture.privacy.recognize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.KeyStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recall on a seeded corpus of every recognizer type; false positives on a benign corpus. */
class RecognizerCorpusTest {
  @TempDir Path keys;

  @Test
  void recallIsAtLeast99PercentForEveryType() {
    TextRedactor redactor = TextRedactor.withKey(KeyStore.current(keys));
    List<SeededCorpus.Planted> corpus = new SeededCorpus(20251114L).generate(40);
    Map<String, int[]> perType = new TreeMap<>(); // type -> {found, total}
    List<String> misses = new ArrayList<>();
    for (SeededCorpus.Planted p : corpus) {
      String out = redactor.redact(p.line());
      boolean found = !out.contains(p.secret()) && out.contains("<" + p.type() + ":");
      int[] counts = perType.computeIfAbsent(p.type(), t -> new int[2]);
      counts[1]++;
      if (found) {
        counts[0]++;
      } else if (misses.size() < 20) {
        misses.add(p.type() + ": " + p.line() + "  ->  " + out);
      }
    }
    StringBuilder report = new StringBuilder();
    perType.forEach((type, c) -> report.append(String.format("%-15s %3d/%3d%n", type, c[0], c[1])));
    System.out.println("recall per type (" + corpus.size() + " planted values)\n" + report);
    assertTrue(corpus.size() >= 500, "corpus size " + corpus.size());
    perType.forEach(
        (type, c) ->
            assertTrue(
                c[0] >= 0.99 * c[1],
                type + " recall " + c[0] + "/" + c[1] + "\n" + String.join("\n", misses)));
  }

  @Test
  void falsePositivesOnBenignTextStayAtOrBelowOnePercent() {
    TextRedactor redactor = TextRedactor.withKey(KeyStore.current(keys));
    List<String> lines = BenignCorpus.lines(7L);
    List<String> flagged = new ArrayList<>();
    for (String line : lines) {
      String out = redactor.redact(line);
      if (!out.equals(line)) {
        flagged.add(line + "  ->  " + out);
      }
    }
    System.out.printf(
        "false positives: %d of %d benign lines (%.2f%%)%n%s%n",
        flagged.size(),
        lines.size(),
        100.0 * flagged.size() / lines.size(),
        String.join("\n", flagged));
    assertTrue(lines.size() >= 300, "benign corpus size " + lines.size());
    assertTrue(
        flagged.size() <= lines.size() / 100, "false positives:\n" + String.join("\n", flagged));
  }
}
