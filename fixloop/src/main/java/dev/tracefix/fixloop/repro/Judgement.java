package dev.tracefix.fixloop.repro;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict on a tree after {@code repeat} attempts: the majority, a tie is a skip, any abort
 * aborts. {@link #disagreed()} marks a flaky tree: not every attempt said the same.
 */
public record Judgement(Verdict verdict, List<Attempt> attempts) {
  public Judgement {
    attempts = List.copyOf(attempts);
  }

  public static Judgement of(List<Attempt> attempts) {
    return new Judgement(majority(attempts), attempts);
  }

  public boolean disagreed() {
    return attempts.stream().map(Attempt::verdict).distinct().count() > 1;
  }

  /** The attempt that speaks for the verdict (the first with that verdict). */
  public Attempt representative() {
    return attempts.stream()
        .filter(a -> a.verdict() == verdict)
        .findFirst()
        .orElse(attempts.getFirst());
  }

  /** e.g. {@code bad 2 of 3 (good 1)}; just the verdict when every attempt agreed. */
  public String votes() {
    if (!disagreed()) {
      return verdict.word()
          + (attempts.size() > 1 ? " " + attempts.size() + " of " + attempts.size() : "");
    }
    Map<Verdict, Integer> counts = counts(attempts);
    StringBuilder out = new StringBuilder(verdict.word()).append(" (");
    String sep = "";
    for (Map.Entry<Verdict, Integer> e : counts.entrySet()) {
      out.append(sep).append(e.getKey().word()).append(' ').append(e.getValue());
      sep = ", ";
    }
    return out.append(" of ").append(attempts.size()).append(')').toString();
  }

  static Verdict majority(List<Attempt> attempts) {
    Map<Verdict, Integer> counts = counts(attempts);
    if (counts.containsKey(Verdict.ABORT)) {
      return Verdict.ABORT;
    }
    Verdict best = Verdict.SKIP;
    int bestVotes = 0;
    boolean tie = false;
    for (Map.Entry<Verdict, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestVotes) {
        best = e.getKey();
        bestVotes = e.getValue();
        tie = false;
      } else if (e.getValue() == bestVotes) {
        tie = true;
      }
    }
    return tie ? Verdict.SKIP : best;
  }

  private static Map<Verdict, Integer> counts(List<Attempt> attempts) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    attempts.forEach(a -> counts.merge(a.verdict(), 1, Integer::sum));
    return counts;
  }
}
