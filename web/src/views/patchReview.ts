// Patch review: a patch cell's output gets a Review button that opens the drafted fix side by
// side (old left, new right, Java/SQL-ish highlighting by CodeMirror's Lezer parser), the repro
// and test results of every candidate beside it, and Accept / Edit / Reject. Accept and Reject go
// to the server (POST .../review), which keeps the decision in the cell and commits an accepted
// fix only through its review gate; Edit changes the cell's keys and runs it again.
import { javaLanguage } from "@codemirror/lang-java";
import { classHighlighter, highlightCode } from "@lezer/highlight";
import { call } from "../api.js";
import { el } from "../dom.js";
import { renderOutput } from "../outputs/outputs.js";
import { registerOutputRenderer, type OutputContext } from "../shell/registry.js";
import type { CellOutput, PatchedOutput } from "../types.js";

registerOutputRenderer("patched", (output: CellOutput, context: OutputContext) => {
  if (output.kind !== "patched") return null;
  const review = el("button", { type: "button", "data-testid": "patch-review" }, output.accepted ? "Review (accepted)" : "Review patch");
  review.addEventListener("click", () => openReview(output, context));
  return el("div", { class: "reviewable-patch" }, el("div", { class: "chart-toolbar" }, review), renderOutput(output, { notebook: context.notebook, cellId: context.cell.id, paged: false }));
});

interface Row {
  left: string | null;
  right: string | null;
  kind: "same" | "change" | "hunk" | "file";
}

/** A unified diff as side-by-side rows: removals paired with the additions that replace them. */
export function sideBySide(diff: string): Row[] {
  const rows: Row[] = [];
  let minus: string[] = [];
  let plus: string[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(minus.length, plus.length); i++) rows.push({ left: minus[i] ?? null, right: plus[i] ?? null, kind: "change" });
    minus = [];
    plus = [];
  };
  for (const line of diff.split("\n")) {
    if (line.startsWith("---") || line.startsWith("+++") || line.startsWith("diff ") || line.startsWith("index ")) {
      flush();
      if (line.startsWith("+++")) rows.push({ left: null, right: line.slice(4).replace(/^b\//, ""), kind: "file" });
    } else if (line.startsWith("@@")) {
      flush();
      rows.push({ left: line, right: line, kind: "hunk" });
    } else if (line.startsWith("-")) minus.push(line.slice(1));
    else if (line.startsWith("+")) plus.push(line.slice(1));
    else {
      flush();
      if (line.length || rows.length) rows.push({ left: line.slice(1), right: line.slice(1), kind: "same" });
    }
  }
  flush();
  return rows;
}

function highlighted(code: string): HTMLElement {
  const box = el("div", {});
  try {
    highlightCode(code, javaLanguage.parser.parse(code), classHighlighter, (text, classes) => {
      box.append(classes ? el("span", { class: classes }, text) : text);
    }, () => box.append("\n"));
  } catch {
    box.textContent = code;
  }
  return box;
}

function openReview(output: PatchedOutput, context: OutputContext): void {
  const dialog = el("dialog", { class: "trace-dialog", "data-testid": "patch-dialog" });
  const status = el("div", { class: "meter", "data-testid": "review-status" },
    output.accepted ? `accepted as ${output.accepted}` : "not yet decided");
  const grid = el("div", { class: "diff-side-by-side", "data-testid": "patch-diff" });
  for (const row of sideBySide(output.diff)) {
    const cls = (side: string | null, which: "left" | "right") =>
      row.kind === "hunk" || row.kind === "file" ? "diff-hunk" : row.kind === "change" && side !== null ? (which === "left" ? "diff-del" : "diff-add") : "";
    const left = row.left === null ? el("div", {}) : row.kind === "same" || row.kind === "change" ? highlighted(row.left) : el("div", {}, row.left);
    const right = row.right === null ? el("div", {}) : row.kind === "same" || row.kind === "change" ? highlighted(row.right) : el("div", {}, row.right);
    left.className = cls(row.left, "left");
    right.className = cls(row.right, "right");
    grid.append(left, right);
  }
  const results = el("div", { "data-testid": "patch-results" },
    el("p", {}, `repro on the patched tree: ${output.reproPasses ? "passes" : "still fails"} · review gate: ${output.reviewPassed ? "passed" : "failed"}`),
    ...output.candidates.map((c) =>
      el("div", { class: "meter" }, `${c.passed ? "✔" : "✘"} ${c.strategy}: ${c.summary}`,
        ...c.guardrails.map((g) => el("div", {}, `   ${g.name}: ${g.status}${g.detail ? ` (${g.detail.split("\n")[0]})` : ""}`)))),
  );
  const decide = async (decision: "accept" | "reject") => {
    status.textContent = decision === "accept" ? "running the review gate…" : "recording the rejection…";
    try {
      const view = await call("POST /api/notebooks/{name}/cells/{id}/review", { name: context.notebook, id: context.cell.id }, { body: { decision } });
      const cell = view.blocks.map((b) => b.cell).find((c) => c?.id === context.cell.id);
      const out = cell?.output;
      status.textContent =
        decision === "reject" ? "rejected: nothing was committed (accept: no is kept in the cell)"
          : out?.kind === "patched" && out.accepted ? `accepted as ${out.accepted} on ${out.branch}`
          : out?.kind === "patched" ? "the review gate refused every candidate; nothing was committed"
          : `failed: ${out?.kind === "error" ? out.message : "no output"}`;
      status.dataset.decision = decision;
      if (out?.kind === "patched" && out.accepted) status.dataset.accepted = out.accepted;
    } catch (e) {
      status.textContent = `failed: ${(e as Error).message}`;
    }
  };
  const accept = el("button", { type: "button", "data-testid": "review-accept" }, "Accept");
  const reject = el("button", { type: "button", "data-testid": "review-reject" }, "Reject");
  const edit = el("button", { type: "button", "data-testid": "review-edit" }, "Edit");
  const editor = el("textarea", { rows: "6", cols: "60", hidden: true, "data-testid": "review-editor" }) as HTMLTextAreaElement;
  editor.value = context.cell.source;
  const rerun = el("button", { type: "button", hidden: true }, "Save and draft again");
  edit.addEventListener("click", () => {
    editor.hidden = false;
    rerun.hidden = false;
  });
  rerun.addEventListener("click", async () => {
    status.textContent = "drafting again…";
    await call("PUT /api/notebooks/{name}/cells/{id}", { name: context.notebook, id: context.cell.id }, { body: { source: editor.value, base: context.cell.source } });
    const out = await call("POST /api/notebooks/{name}/cells/{id}/run", { name: context.notebook, id: context.cell.id });
    status.textContent = out.kind === "patched" ? `drafted again: ${out.strategy}, review ${out.reviewPassed ? "passed" : "failed"}` : `failed: ${out.kind}`;
  });
  accept.addEventListener("click", () => void decide("accept"));
  reject.addEventListener("click", () => void decide("reject"));
  const close = el("button", { type: "button", "data-testid": "review-close" }, "Close");
  close.addEventListener("click", () => {
    dialog.close();
    dialog.remove();
    window.dispatchEvent(new HashChangeEvent("hashchange")); // show the cell's new output
  });
  dialog.append(
    el("div", { class: "trace-head" }, el("strong", {}, `Review ${output.strategy} on ${output.branch}`), accept, edit, reject, close),
    el("div", { class: "trace-body" }, status, results, grid, editor, rerun),
  );
  document.body.append(dialog);
  dialog.showModal();
}
