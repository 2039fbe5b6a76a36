package dev.tracefix.fixloop.bisect;

import java.util.List;

/**
 * What to bisect.
 *
 * @param goods commits known good (one or more)
 * @param bad the commit known bad
 * @param firstParent consider only first parents (a merge is tested, not its branch's commits)
 * @param repeat runs per commit; the majority decides, a tie skips (1 = not flaky)
 * @param checkEnds run the repro on bad and on each good first, and refuse to blame a commit when
 *     bad passes or a good fails ({@code git bisect run} trusts them; these runs are not counted as
 *     steps)
 * @param buildAhead while a probe's repro runs, build the tree of the commit that would be tested
 *     next if its verdict is the likelier one (the outcome that leaves more candidates), so a
 *     second core builds while the first tests; stopped when the verdict goes the other way
 */
public record BisectOptions(
    List<String> goods,
    String bad,
    boolean firstParent,
    int repeat,
    boolean checkEnds,
    boolean buildAhead) {
  public BisectOptions {
    goods = List.copyOf(goods);
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat must be >= 1");
    }
  }

  /** Without building ahead. */
  public BisectOptions(
      List<String> goods, String bad, boolean firstParent, int repeat, boolean checkEnds) {
    this(goods, bad, firstParent, repeat, checkEnds, false);
  }
}
