package dev.tracefix.fixloop.bisect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Which commit to test next: the choice {@code git bisect} makes, over the whole commit graph.
 *
 * <p>The candidates are the commits reachable from bad and from no good commit, in the order {@code
 * git rev-list} lists them (newest commit date first). A candidate's weight is the number of
 * candidates it reaches, itself included; the best probe splits the candidates most evenly, {@code
 * max(min(weight, n - weight))}. Like git, weights are computed for merges first and then along
 * single-parent chains, oldest first, and the first candidate found to be within one of the halfway
 * point is taken at once, so ties fall where git's fall. With {@code --first-parent} only
 * first-parent edges count.
 *
 * <p>Once any commit was skipped, git ranks every candidate by (distance desc, id asc) and, if the
 * best one is skipped, jumps to a pseudo-random non-skipped one away from it ({@code skip_away},
 * with git's own generator), so skipped stretches are left quickly. Both are done the same way
 * here, since a different jump changes the steps, and with a skipped range that decides whether the
 * first bad commit can be named at all.
 *
 * <p>Pure: no repository, no processes; {@link CommitGraph} supplies the candidates.
 */
public final class BisectSearch {
  /** A candidate and its parents (only the first one in first-parent mode). */
  public record Node(ObjectId id, List<ObjectId> parents) {}

  /** The outcome of one step of the search. */
  public sealed interface Next {
    /** Test this commit; {@code remaining} is git's "revisions left to test after this". */
    record Probe(ObjectId commit, int candidates, int remaining) implements Next {}

    /** Bad is the first bad commit. */
    record Found(ObjectId commit) implements Next {}

    /** Only skipped commits are left between the last good ones and bad: any of them (and bad). */
    record OnlySkipped(List<ObjectId> candidates) implements Next {}
  }

  private static final int PRN_MODULO = 32768;

  private BisectSearch() {}

  /**
   * @param revList candidates, newest first as {@code git rev-list bad ^good...} lists them
   * @param bad the current bad commit (first in its own history, and in {@code revList})
   * @param skipped every commit skipped so far in this bisect (also ones no longer candidates)
   * @param firstParent follow only first parents
   */
  public static Next next(
      List<Node> revList, ObjectId bad, Set<ObjectId> skipped, boolean firstParent) {
    List<Node> list = new ArrayList<>(revList);
    Collections.reverse(list); // git works oldest first
    int nr = list.size();
    boolean all = !skipped.isEmpty();
    Map<ObjectId, Node> byId = new HashMap<>();
    list.forEach(n -> byId.put(n.id(), n));
    Map<ObjectId, Integer> weight = new HashMap<>();

    Optional<Node> best = findBisection(list, byId, weight, nr, all, firstParent);
    List<Node> ordered;
    if (!all) {
      ordered = best.map(List::of).orElse(List.of());
    } else {
      ordered = new ArrayList<>(list);
      ordered.sort(
          Comparator.comparingInt((Node n) -> -distance(weight.get(n.id()), nr))
              .thenComparing(Node::id, ObjectId::compareTo));
    }
    // managed_skipped
    List<ObjectId> tried = new ArrayList<>();
    ObjectId probe;
    if (ordered.isEmpty()) {
      probe = null;
    } else if (skipped.isEmpty() || !skipped.contains(ordered.getFirst().id())) {
      probe = ordered.getFirst().id();
    } else {
      List<ObjectId> filtered = new ArrayList<>();
      for (Node n : ordered) {
        if (skipped.contains(n.id())) {
          tried.add(n.id());
        } else {
          filtered.add(n.id());
        }
      }
      probe = filtered.isEmpty() ? null : skipAway(filtered, bad);
    }
    if (probe == null) {
      return new Next.OnlySkipped(List.copyOf(tried));
    }
    if (probe.equals(bad)) {
      if (!tried.isEmpty()) {
        List<ObjectId> any = new ArrayList<>(tried);
        any.add(bad);
        return new Next.OnlySkipped(List.copyOf(any));
      }
      return new Next.Found(bad);
    }
    int reaches = weight.getOrDefault(probe, 0);
    return new Next.Probe(probe, nr, nr - reaches - 1);
  }

  private static int distance(Integer weight, int nr) {
    int w = weight == null ? 0 : weight;
    return Math.min(w, nr - w);
  }

  private static Optional<Node> findBisection(
      List<Node> list,
      Map<ObjectId, Node> byId,
      Map<ObjectId, Integer> weight,
      int nr,
      boolean all,
      boolean firstParent) {
    int counted = 0;
    Map<ObjectId, Integer> interestingParents = new HashMap<>();
    for (Node n : list) {
      int count = 0;
      for (ObjectId parent : n.parents()) {
        if (byId.containsKey(parent)) {
          count++;
        }
        if (firstParent) {
          break;
        }
      }
      interestingParents.put(n.id(), count);
      if (count == 0) {
        weight.put(n.id(), 1);
        counted++;
      }
    }
    // Merges first, counted the expensive way (shared ancestors must not be counted twice).
    for (Node n : list) {
      if (interestingParents.get(n.id()) < 2) {
        continue;
      }
      weight.put(n.id(), reachable(n, byId));
      if (!all && halfway(weight.get(n.id()), nr)) {
        return Optional.of(n);
      }
      counted++;
    }
    // Then single strands: one more than the parent.
    while (counted < nr) {
      boolean progress = false;
      for (Node n : list) {
        if (weight.containsKey(n.id())) {
          continue;
        }
        Integer parentWeight = null;
        for (ObjectId parent : n.parents()) {
          if (byId.containsKey(parent) && weight.containsKey(parent)) {
            parentWeight = weight.get(parent);
            break;
          }
          if (firstParent) {
            break;
          }
        }
        if (parentWeight == null) {
          continue;
        }
        weight.put(n.id(), parentWeight + 1);
        counted++;
        progress = true;
        if (!all && halfway(weight.get(n.id()), nr)) {
          return Optional.of(n);
        }
      }
      if (!progress) {
        throw new IllegalStateException(
            "bisect weights do not converge: the candidate graph has a cycle");
      }
    }
    if (all) {
      return Optional.empty();
    }
    Node best = list.isEmpty() ? null : list.getFirst();
    int bestDistance = -1;
    for (Node n : list) {
      int d = distance(weight.get(n.id()), nr);
      if (d > bestDistance) {
        best = n;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Candidates reachable from {@code from}, itself included, over every parent edge. */
  private static int reachable(Node from, Map<ObjectId, Node> byId) {
    Set<ObjectId> seen = new HashSet<>();
    Deque<Node> todo = new ArrayDeque<>();
    todo.push(from);
    seen.add(from.id());
    while (!todo.isEmpty()) {
      for (ObjectId parent : todo.pop().parents()) {
        Node p = byId.get(parent);
        if (p != null && seen.add(parent)) {
          todo.push(p);
        }
      }
    }
    return seen.size();
  }

  /** git's approx_halfway: within one of n/2, or within 0.1 % of it for large n. */
  static boolean halfway(int weight, int nr) {
    int diff = 2 * weight - nr;
    return Math.abs(diff) <= 1 || Math.abs(diff) < nr / 1024;
  }

  /** git's skip_away: a pseudo-random candidate away from the skipped best one, never bad. */
  static ObjectId skipAway(List<ObjectId> filtered, ObjectId bad) {
    int count = filtered.size();
    int prn = prn(count);
    int index = (count * prn / PRN_MODULO) * sqrti(prn) / sqrti(PRN_MODULO);
    ObjectId previous = null;
    for (int i = 0; i < filtered.size(); i++) {
      if (i == index) {
        ObjectId at = filtered.get(i);
        if (!at.equals(bad)) {
          return at;
        }
        return previous != null ? previous : filtered.getFirst();
      }
      previous = filtered.get(i);
    }
    return filtered.getFirst();
  }

  /** "man 3 rand"'s generator on 32-bit unsigned arithmetic, seeded with the count. */
  static int prn(int count) {
    int next = count * 1103515245 + 12345;
    return Integer.remainderUnsigned(Integer.divideUnsigned(next, 65536), PRN_MODULO);
  }

  /** Integer square root by Newton's method on floats, as git computes it. */
  static int sqrti(int val) {
    if (val == 0) {
      return 0;
    }
    float x = val;
    float d;
    do {
      float y = (x + (float) val / x) / 2;
      d = (y > x) ? y - x : x - y;
      x = y;
    } while (d >= 0.5f);
    return (int) x;
  }
}
