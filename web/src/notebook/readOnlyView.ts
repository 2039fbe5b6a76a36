// A notebook as saved in one revision: prose and cell sources, read-only and without outputs.
import { el } from "../dom.js";
import { renderMarkdown } from "../markdown.js";
import type { NotebookView } from "../types.js";

export function renderReadOnly(view: NotebookView, revision: string): HTMLElement {
  const blocks = view.blocks.map((b) => {
    if (b.cell) {
      return el(
        "section",
        { class: "cell read-only", "data-testid": "cell", "data-cell-id": b.cell.id },
        el("div", { class: "cell-head" }, el("span", { class: `badge kind kind-${b.cell.kind}` }, b.cell.kind), b.cell.name ? el("span", { class: "cell-name" }, b.cell.name) : null),
        el("pre", { class: "code", "data-testid": "cell-source-at" }, b.cell.source),
      );
    }
    const prose = el("div", { class: "prose", "data-testid": "prose" });
    prose.innerHTML = renderMarkdown(b.markdown ?? ""); // escaped by the renderer
    return prose;
  });
  return el(
    "div",
    { "data-testid": "revision-view" },
    el(
      "header",
      { class: "notebook-head" },
      el("div", {}, el("div", { class: "muted file-name" }, `${view.name} at ${revision.slice(0, 10)} (read-only)`)),
      el("a", { href: `#/notebook/${encodeURIComponent(view.name)}`, "data-testid": "back-to-current" }, "Back to the current version"),
    ),
    el("div", { class: "blocks" }, ...blocks),
  );
}
