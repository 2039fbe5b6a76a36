package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.minimize.Ddmin;
import dev.tracefix.fixloop.minimize.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.diff.Edit;

/**
 * Reverts the culprit's hunks that the repro implicates, on top of the bad commit.
 *
 * <p>A culprit often does more than break things: it adds a helper later commits call, renames a
 * method, moves a file. Reverting all of it breaks those later commits. So: if reverting every hunk
 * that still applies makes the repro pass, delta debugging over the hunks finds a 1-minimal set
 * that still does (the hunks the repro implicates; Zeller's "isolating failure-inducing changes");
 * if reverting everything does not pass, each hunk is tried alone. Each trial is a build and a
 * repro run in its own tree, so the search stays small: a culprit has few hunks.
 */
public final class RevertImplicatedHunks implements PatchStrategy {
  public static final String NAME = "revert-implicated-hunks";

  /** One revertible piece: a hunk of a modified file, or a whole added/deleted file. */
  record Unit(int file, int hunk, String label) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Proposal propose(PatchContext context) {
    CulpritChange change = context.change();
    String culprit = change.culprit().abbreviate(7).name();
    List<String> log = new ArrayList<>();
    List<Unit> applicable = new ArrayList<>();
    for (Unit unit : units(change)) {
      Optional<List<FileEdit>> alone = edits(context, List.of(unit), new ArrayList<>());
      if (alone.isPresent()) {
        applicable.add(unit);
      } else {
        log.add(unit.label() + ": no longer applies at the bad commit; left alone");
      }
    }
    if (applicable.isEmpty()) {
      List<String> notes = new ArrayList<>(log);
      notes.addFirst("no hunk of " + culprit + " can be reverted at the bad commit");
      return new Proposal(List.of(), notes);
    }
    List<FileEdit> all = edits(context, applicable, log).orElseThrow();
    if (context.reproPasses(all)) {
      if (applicable.size() == 1) {
        log.add("reverting its one hunk makes the repro pass");
        return one(context, applicable, applicable.size(), log);
      }
      Ddmin<Unit> ddmin =
          new Ddmin<>(
                  applicable,
                  subset ->
                      context.reproPasses(edits(context, subset, new ArrayList<>()).orElseThrow())
                          ? Outcome
                              .FAIL // "interesting" for ddmin: this revert makes the repro pass
                          : Outcome.PASS)
              .control(context.control());
      Ddmin.Result<Unit> implicated = ddmin.minimize();
      log.add(
          "reverting all "
              + applicable.size()
              + " hunks makes the repro pass; "
              + implicated.minimal().size()
              + " of them are enough ("
              + implicated.oracleCalls()
              + " trials): "
              + implicated.minimal().stream().map(Unit::label).toList());
      return one(context, implicated.minimal(), applicable.size(), log);
    }
    log.add(
        "reverting all "
            + applicable.size()
            + " hunks does not make the repro pass; trying each alone");
    for (Unit unit : applicable) {
      if (context.reproPasses(edits(context, List.of(unit), new ArrayList<>()).orElseThrow())) {
        log.add("reverting " + unit.label() + " alone makes the repro pass");
        return one(context, List.of(unit), applicable.size(), log);
      }
    }
    log.add(
        "no single hunk's revert makes the repro pass either; proposing the full revert for the record");
    return one(context, applicable, applicable.size(), log);
  }

  private Proposal one(PatchContext context, List<Unit> units, int of, List<String> log) {
    String culprit = context.change().culprit().abbreviate(7).name();
    String summary =
        units.size() == of
            ? "revert " + (of == 1 ? "the hunk" : "all " + of + " hunks") + " of " + culprit
            : "revert "
                + units.size()
                + " of "
                + of
                + " hunks of "
                + culprit
                + " (the ones the repro implicates)";
    return new Proposal(
        List.of(
            new Candidate(
                NAME, summary, edits(context, units, new ArrayList<>()).orElseThrow(), log)),
        List.of());
  }

  static List<Unit> units(CulpritChange change) {
    List<Unit> units = new ArrayList<>();
    for (int f = 0; f < change.files().size(); f++) {
      CulpritChange.FileChange file = change.files().get(f);
      switch (file.type()) {
        case ADD -> units.add(new Unit(f, -1, file.newPath() + " (added)"));
        case DELETE -> units.add(new Unit(f, -1, file.oldPath() + " (deleted)"));
        case MODIFY, RENAME, COPY -> {
          for (int h = 0; h < file.hunks().size(); h++) {
            units.add(new Unit(f, h, CulpritChange.label(file.newPath(), file.hunks().get(h))));
          }
        }
      }
    }
    return units;
  }

  private static Edit span(List<Edit> hunk) {
    return new Edit(
        hunk.getFirst().getBeginA(),
        hunk.getLast().getEndA(),
        hunk.getFirst().getBeginB(),
        hunk.getLast().getEndB());
  }

  /** The file edits that revert {@code units} at the bad commit; empty if one does not apply. */
  static Optional<List<FileEdit>> edits(PatchContext context, List<Unit> units, List<String> log) {
    Map<Integer, List<Unit>> byFile = new LinkedHashMap<>();
    for (Unit u : units) {
      byFile.computeIfAbsent(u.file(), k -> new ArrayList<>()).add(u);
    }
    List<FileEdit> edits = new ArrayList<>();
    for (Map.Entry<Integer, List<Unit>> e : byFile.entrySet()) {
      CulpritChange.FileChange file = context.change().files().get(e.getKey());
      if (file.binary()) {
        return Optional.empty();
      }
      switch (file.type()) {
        case ADD -> {
          Optional<String> atBad = context.fileAtBad(file.newPath());
          if (atBad.isEmpty() || !atBad.get().equals(String.join("", file.after()))) {
            return Optional.empty();
          }
          edits.add(FileEdit.delete(file.newPath()));
        }
        case DELETE -> {
          if (context.fileAtBad(file.oldPath()).isPresent()) {
            return Optional.empty();
          }
          edits.add(FileEdit.write(file.oldPath(), String.join("", file.before())));
        }
        default -> {
          Optional<String> atBad = context.fileAtBad(file.newPath());
          if (atBad.isEmpty()) {
            return Optional.empty();
          }
          // A hunk reverts as one span (the lines between its edits are the same on both sides),
          // so its edits never have to find each other's context after one of them moved.
          List<Edit> selected =
              e.getValue().stream()
                  .sorted(java.util.Comparator.comparingInt(Unit::hunk))
                  .map(u -> span(file.hunks().get(u.hunk())))
                  .toList();
          HunkReverter.Outcome reverted =
              HunkReverter.revert(
                  file.before(),
                  file.after(),
                  selected,
                  CulpritChange.lines(
                      atBad.get().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          if (reverted.applied() < selected.size()) {
            return Optional.empty();
          }
          edits.add(FileEdit.write(file.newPath(), String.join("", reverted.lines())));
        }
      }
    }
    log.add("reverts " + units.size() + " piece(s) in " + byFile.size() + " file(s)");
    return Optional.of(edits);
  }
}
