package dev.tracefix.fixloop.patch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first strategy: a language model drafts the fix, when one is installed ({@link
 * DraftingModel}); without one it says so in the report and the deterministic strategies follow.
 */
public final class ModelStrategy implements PatchStrategy {
  public static final String NAME = "model";

  private final Optional<DraftingModel> model;

  public ModelStrategy(Optional<DraftingModel> model) {
    this.model = model;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Proposal propose(PatchContext context) {
    if (model.isEmpty()) {
      return Proposal.none(
          "no drafting model is configured (the hook is DraftingModel; none is installed)");
    }
    Map<String, String> files = new LinkedHashMap<>();
    for (CulpritChange.FileChange f : context.change().files()) {
      if (f.after() != null && !f.binary()) {
        context.fileAtBad(f.newPath()).ifPresent(text -> files.put(f.newPath(), text));
      }
    }
    DraftingModel.Request request =
        new DraftingModel.Request(
            context.incident(),
            context.change().culprit().name(),
            context.change().culprit().getShortMessage(),
            context.change().diff(),
            context.reproOutputAtBad(),
            context.input().map(i -> i.csv()).orElse(""),
            files);
    Optional<DraftingModel.Draft> draft = model.get().draft(request);
    if (draft.isEmpty()) {
      return Proposal.none(model.get().name() + " proposed nothing");
    }
    List<FileEdit> edits = new ArrayList<>();
    draft.get().files().forEach((path, text) -> edits.add(FileEdit.write(path, text)));
    return new Proposal(
        List.of(
            new Candidate(
                NAME, draft.get().summary(), edits, List.of("drafted by " + model.get().name()))),
        List.of());
  }
}
