package dev.tracefix.capture.privacy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Policy files and their conditions, generated and damaged: each loads into a policy or is refused
 * as a user error naming the file, the line and the reason. Nothing else escapes, so a capture
 * given a broken policy stops before it starts instead of running without one.
 */
class PolicyFuzzTest {
  private static final Pattern CLEAR =
      Pattern.compile("policy p\\.yaml:\\d+: \\S.* \\(policy refused\\)", Pattern.DOTALL);

  @Property(tries = 400)
  void damagedDefaultPoliciesLoadOrAreRefusedWithALine(@ForAll("edits") List<Edit> edits)
      throws IOException {
    String text = Files.readString(Path.of("../policies/default.yaml"));
    for (Edit e : edits) {
      text = e.apply(text);
    }
    assertLoadsOrRefusedClearly(text);
  }

  @Property(tries = 400)
  void arbitraryConditionsCompileOrAreRefusedWithALine(@ForAll("conditions") String when) {
    String text =
        "policy: p\nevents:\n  \"*\":\n    bytes:\n      action: keep\n      when: '"
            + when.replace("'", "''")
            + "'\n      else: drop\n";
    assertLoadsOrRefusedClearly(text);
  }

  private static void assertLoadsOrRefusedClearly(String text) {
    try {
      PolicyParser.parse("p.yaml", text, EventSchema.current());
      Statistics.collect("loaded");
    } catch (CaptureException e) {
      Statistics.collect("refused");
      assertEquals(CaptureException.Kind.USER, e.kind(), e.getMessage());
      assertTrue(CLEAR.matcher(e.getMessage()).matches(), "unclear: " + e.getMessage());
    }
  }

  /** One edit of a line: what a hand edit, a bad merge or a truncated copy does to a file. */
  record Edit(int kind, double at, String text) {
    String apply(String s) {
      List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
      int i = Math.min(lines.size() - 1, (int) (at * lines.size()));
      switch (kind) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, lines.get(i));
        case 2 -> lines.set(i, lines.get(i) + text);
        case 3 -> lines.set(i, text);
        case 4 -> lines.set(i, "  " + lines.get(i));
        default -> {
          return s.substring(0, (int) (at * s.length()));
        }
      }
      return String.join("\n", lines);
    }
  }

  @Provide
  Arbitrary<List<Edit>> edits() {
    Arbitrary<String> text =
        Arbitraries.of(
            ": keep",
            "bytes: bucket",
            "nope: keep",
            "  when: 'event.type ==",
            "- x",
            "{",
            "[",
            "\t",
            "action: explode",
            "else: keep",
            "&a x",
            "*a",
            "!!python/object:os.system x",
            "events: 3",
            "policy:",
            "retention:\n  - keep: 1d",
            "when: 'event.bytes > \"x\"'",
            "\u0000",
            "\"*\": []");
    return Combinators.combine(
            Arbitraries.integers().between(0, 5),
            Arbitraries.doubles().between(0, 0.999).ofScale(4),
            text)
        .as(Edit::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> conditions() {
    Arbitrary<String> token =
        Arbitraries.of(
            "event.type",
            "event.bytes",
            "event.nope",
            "==",
            "!=",
            "<",
            ">=",
            "in",
            "&&",
            "||",
            "!",
            "(",
            ")",
            "[",
            "]",
            ",",
            "\"tcp_state\"",
            "\"",
            "1",
            "-1",
            "99999999999999999999",
            "true",
            "null",
            "size(",
            "event",
            ".",
            "'",
            "\\",
            " ");
    return token.list().ofMaxSize(12).map(parts -> String.join(" ", parts));
  }
}
