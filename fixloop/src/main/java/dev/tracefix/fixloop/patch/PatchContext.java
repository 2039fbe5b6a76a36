package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.Verdict;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/** What a strategy works from: the culprit's change, the bad commit, and a way to try edits. */
public final class PatchContext {
  private final WorkTrees trees;
  private final RevCommit bad;
  private final CulpritChange change;
  private final Optional<InputTable> input;
  private final String incident;
  private final String reproOutputAtBad;
  private final Map<String, Boolean> tried = new ConcurrentHashMap<>();

  PatchContext(
      WorkTrees trees,
      RevCommit bad,
      CulpritChange change,
      Optional<InputTable> input,
      String incident,
      String reproOutputAtBad) {
    this.trees = trees;
    this.bad = bad;
    this.change = change;
    this.input = input;
    this.incident = incident;
    this.reproOutputAtBad = reproOutputAtBad;
  }

  public Repository repository() {
    return trees.repository();
  }

  public RevCommit bad() {
    return bad;
  }

  public CulpritChange change() {
    return change;
  }

  public Optional<InputTable> input() {
    return input;
  }

  public String incident() {
    return incident;
  }

  public String reproOutputAtBad() {
    return reproOutputAtBad;
  }

  public Control control() {
    return trees.harness().control();
  }

  /** A file's text at the bad commit, or empty if it is not there. */
  public Optional<String> fileAtBad(String path) {
    try (ObjectReader reader = repository().newObjectReader();
        TreeWalk walk = TreeWalk.forPath(reader, path, bad.getTree())) {
      return walk == null
          ? Optional.empty()
          : Optional.of(
              new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT,
          "cannot read " + path + " at the bad commit: " + e.getMessage(),
          e);
    }
  }

  /**
   * Whether the repro passes with {@code edits} on top of the bad commit: written as an
   * unreferenced commit, built (once per tree) and run. Strategies use it to search (which hunks
   * the repro implicates); the guardrails still judge whatever they propose.
   */
  public boolean reproPasses(List<FileEdit> edits) {
    ObjectId commit =
        CandidateCommits.commit(
            repository(), bad, edits, "tracefix: trial", CandidateCommits.TRACEFIX);
    String key = CandidateCommits.parse(repository(), commit).getTree().name();
    return tried.computeIfAbsent(
        key,
        k -> {
          WorkTrees.Prepared tree = trees.prepare(commit);
          if (tree.build().verdict() != Verdict.GOOD) {
            return false;
          }
          return trees.harness().judge(tree.dir(), input).verdict() == Verdict.GOOD;
        });
  }

  WorkTrees trees() {
    return trees;
  }
}
