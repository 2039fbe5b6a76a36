package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.FixLoopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Temporary work trees of a repository's commits, built once per source tree.
 *
 * <p>Keyed by the commit's <em>tree</em> id, not the commit id: a revert, a merge that changes
 * nothing, a patch candidate re-checked, or the bad commit that minimize, bisect and patch all
 * need, has a tree that was already written and built, so it is neither written nor rebuilt. The
 * {@code keep} most recently used trees stay on disk (a built tree of a real project is large).
 *
 * <p>A tree is written from the object database ({@link TreeMaterializer}), so the person's HEAD,
 * index and files never move, and a bisect can run while they work.
 */
public final class WorkTrees implements AutoCloseable {
  /** A commit's tree on disk and the outcome of building it (GOOD when it built). */
  public record Prepared(Path dir, ObjectId commit, ObjectId tree, Attempt build, boolean reused) {}

  private final Repository repo;
  private final Path root;
  private final ReproHarness harness;
  private final int keep;
  private final String buildKey;
  private final LinkedHashMap<ObjectId, Prepared> trees = new LinkedHashMap<>(16, 0.75f, true);
  private final java.util.concurrent.ConcurrentHashMap<ObjectId, Object> preparing =
      new java.util.concurrent.ConcurrentHashMap<>();
  private int builds;
  private int reuses;

  public WorkTrees(Repository repo, Path root, ReproHarness harness, int keep) {
    this.repo = repo;
    this.root = root;
    this.harness = harness;
    this.keep = Math.max(1, keep);
    this.buildKey = sha256(harness.spec().build().orElse("")).substring(0, 8);
  }

  public Repository repository() {
    return repo;
  }

  public ReproHarness harness() {
    return harness;
  }

  /** The commit's tree, written and built unless a commit with the same tree already was. */
  public Prepared prepare(ObjectId commitId) {
    return prepare(commitId, new dev.tracefix.fixloop.Cancellation());
  }

  /**
   * As {@link #prepare(ObjectId)}, stopped by {@code cancel} too (a build started ahead of need).
   * Different trees are written and built at the same time; a second caller for a tree being
   * prepared waits for it rather than building it twice.
   */
  public Prepared prepare(ObjectId commitId, dev.tracefix.fixloop.Cancellation cancel) {
    ObjectId tree = treeOf(commitId);
    synchronized (preparing.computeIfAbsent(tree, t -> new Object())) {
      synchronized (this) {
        Prepared known = trees.get(tree);
        if (known != null) {
          reuses++;
          return new Prepared(known.dir(), commitId, tree, known.build(), true);
        }
      }
      Path dir = root.resolve(tree.abbreviate(12).name() + "-" + buildKey);
      harness.forgetBuild(dir);
      TreeMaterializer.materialize(repo, commitId, dir);
      Attempt build = harness.build(dir, cancel);
      synchronized (this) {
        if (harness.spec().build().isPresent()) {
          builds++;
        }
        Prepared prepared = new Prepared(dir, commitId, tree, build, false);
        trees.put(tree, prepared);
        evict();
        return prepared;
      }
    }
  }

  /** Builds run so far (each a distinct tree) and preparations answered from the cache. */
  public synchronized int builds() {
    return builds;
  }

  public synchronized int reuses() {
    return reuses;
  }

  private void evict() {
    Iterator<Map.Entry<ObjectId, Prepared>> oldest = trees.entrySet().iterator();
    while (trees.size() > keep && oldest.hasNext()) {
      Prepared gone = oldest.next().getValue();
      oldest.remove();
      harness.forgetBuild(gone.dir());
      TreeMaterializer.deleteRecursively(gone.dir());
    }
  }

  private ObjectId treeOf(ObjectId commitId) {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(commitId);
      return commit.getTree().getId();
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT,
          "cannot read commit " + commitId.name() + ": " + e.getMessage(),
          e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    for (Prepared p : trees.values()) {
      TreeMaterializer.deleteRecursively(p.dir());
    }
    trees.clear();
  }
}
