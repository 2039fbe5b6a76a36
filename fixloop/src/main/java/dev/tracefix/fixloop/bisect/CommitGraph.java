package dev.tracefix.fixloop.bisect;

import dev.tracefix.fixloop.FixLoopException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevFlag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/** The parts of the commit graph a bisect needs, read with JGit. */
final class CommitGraph {
  private CommitGraph() {}

  /**
   * {@code git rev-list bad ^good...}: newest first. With {@code firstParent}, the first-parent
   * chain from bad down to the first commit a good one reaches (over any parent), as {@code git
   * rev-list --first-parent} lists it: git propagates "uninteresting" over every parent.
   */
  static List<BisectSearch.Node> candidates(
      Repository repo, ObjectId bad, Collection<ObjectId> goods, boolean firstParent) {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(bad));
      for (ObjectId good : goods) {
        walk.markUninteresting(walk.parseCommit(good));
      }
      List<RevCommit> listed = new ArrayList<>();
      for (RevCommit c : walk) {
        listed.add(c);
      }
      // A commit listed before a good one reached it (clock skew) is dropped, as git does.
      Map<ObjectId, RevCommit> interesting = new HashMap<>();
      List<RevCommit> ordered = new ArrayList<>();
      for (RevCommit c : listed) {
        if (!c.has(RevFlag.UNINTERESTING)) {
          interesting.put(c.getId(), c);
          ordered.add(c);
        }
      }
      List<BisectSearch.Node> nodes = new ArrayList<>();
      if (firstParent) {
        RevCommit at = interesting.get(bad);
        while (at != null) {
          nodes.add(
              new BisectSearch.Node(
                  at.getId(),
                  at.getParentCount() == 0 ? List.of() : List.of(at.getParent(0).getId())));
          at = at.getParentCount() == 0 ? null : interesting.get(at.getParent(0).getId());
        }
        return nodes;
      }
      for (RevCommit c : ordered) {
        List<ObjectId> parents = new ArrayList<>();
        for (RevCommit p : c.getParents()) {
          parents.add(p.getId());
        }
        nodes.add(new BisectSearch.Node(c.getId(), List.copyOf(parents)));
      }
      return nodes;
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot walk the history: " + e.getMessage(), e);
    }
  }

  /** Goods that are not ancestors of bad ({@code git rev-list ^bad good...} non-empty). */
  static List<ObjectId> goodsNotBelow(Repository repo, ObjectId bad, Collection<ObjectId> goods) {
    List<ObjectId> out = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit badCommit = walk.parseCommit(bad);
      for (ObjectId good : goods) {
        walk.reset();
        if (!walk.isMergedInto(walk.parseCommit(good), badCommit)) {
          out.add(good);
        }
      }
      return out;
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot walk the history: " + e.getMessage(), e);
    }
  }

  /** The merge bases of bad with each good, without one that is an ancestor of another. */
  static List<ObjectId> mergeBases(Repository repo, ObjectId bad, Collection<ObjectId> goods) {
    Set<ObjectId> bases = new LinkedHashSet<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (ObjectId good : goods) {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(walk.parseCommit(bad));
        walk.markStart(walk.parseCommit(good));
        for (RevCommit base : walk) {
          bases.add(base.getId());
        }
      }
      walk.reset();
      walk.setRevFilter(RevFilter.ALL);
      List<ObjectId> out = new ArrayList<>();
      for (ObjectId base : bases) {
        boolean redundant = false;
        for (ObjectId other : bases) {
          walk.reset();
          if (!other.equals(base)
              && walk.isMergedInto(walk.parseCommit(base), walk.parseCommit(other))) {
            redundant = true;
          }
        }
        if (!redundant) {
          out.add(base);
        }
      }
      return out;
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot find merge bases: " + e.getMessage(), e);
    }
  }

  static RevCommit parse(Repository repo, ObjectId id) {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit c = walk.parseCommit(id);
      walk.parseBody(c);
      return c;
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT, "cannot read " + id.name() + ": " + e.getMessage(), e);
    }
  }
}
