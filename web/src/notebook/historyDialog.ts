// A notebook's saved versions (git commits of its file): open one read-only, or pick two (or one
// and the file now) and see the unified diff between them.
import { call, describe } from "../api.js";
import { el } from "../dom.js";
import type { Revision } from "../types.js";

const WORKING = "working"; // the server's name for the file as it is now

export class HistoryDialog {
  private readonly box = el("div", { class: "overlay-box wide" });
  private readonly overlay = el("div", { class: "overlay", "data-testid": "history", role: "dialog", "aria-label": "History" }, this.box);

  constructor(
    private readonly notebook: string,
    private readonly report: (message: string | null) => void,
  ) {
    this.overlay.addEventListener("click", (e) => {
      if (e.target === this.overlay) this.close();
    });
    this.overlay.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.close();
    });
  }

  close(): void {
    this.overlay.remove();
  }

  async open(): Promise<void> {
    document.body.append(this.overlay);
    this.box.replaceChildren(el("p", { class: "muted" }, "Loading history…"));
    let revisions: Revision[];
    try {
      revisions = await call("GET /api/notebooks/{name}/history", { name: this.notebook });
    } catch (error) {
      this.box.replaceChildren(el("p", {}, describe(error, "History failed")));
      return;
    }
    const close = el("button", { type: "button", class: "small" }, "Close");
    close.addEventListener("click", () => this.close());
    const picked: string[] = [];
    const diffBox = el("div", { class: "diff-box", "data-testid": "diff-view" });
    const compare = el("button", { type: "button", class: "small", "data-testid": "compare", disabled: true }, "Compare");
    const rows = revisions.map((r) => {
      const box = el("input", { type: "checkbox", "data-testid": "pick-revision", "data-revision": r.id, "aria-label": `pick ${r.id.slice(0, 10)}` });
      box.addEventListener("change", () => {
        if (box.checked) picked.push(r.id);
        else picked.splice(picked.indexOf(r.id), 1);
        compare.disabled = picked.length === 0 || picked.length > 2;
      });
      const openLink = el("a", { href: `#/notebook/${encodeURIComponent(this.notebook)}@${r.id}`, "data-testid": "open-revision" }, "open");
      openLink.addEventListener("click", () => this.close());
      return el(
        "tr",
        { "data-testid": "revision" },
        el("td", {}, box),
        el("td", {}, el("code", {}, r.id.slice(0, 10))),
        el("td", {}, r.message),
        el("td", { class: "muted" }, `${r.author} · ${r.time}`),
        el("td", {}, openLink),
      );
    });
    compare.addEventListener("click", async () => {
      // Older first: with one pick, compare it with the file as it is now.
      const order = revisions.map((r) => r.id);
      const [from, to] = picked.length === 1 ? [picked[0], WORKING] : [...picked].sort((a, b) => order.indexOf(b) - order.indexOf(a));
      try {
        const diff = await call("GET /api/notebooks/{name}/diff", { name: this.notebook }, { query: { from, to } });
        diffBox.replaceChildren(renderUnifiedDiff(diff));
      } catch (error) {
        diffBox.replaceChildren(describe(error, "Diff failed"));
      }
    });
    this.box.replaceChildren(
      el("div", { class: "popover-head" }, el("h2", {}, `History of ${this.notebook}`), el("span", { class: "spacer" }), compare, close),
      revisions.length === 0
        ? el("p", { class: "muted" }, "No saved versions yet: Save commits the notebook.")
        : el("table", { class: "data revisions" }, el("tbody", {}, ...rows)),
      el("p", { class: "muted" }, "Pick two versions to compare them, or one to compare it with the file now."),
      diffBox,
    );
    this.report(null);
  }
}

/** A unified diff with added, removed and hunk lines told apart (text only, never HTML). */
export function renderUnifiedDiff(diff: string): HTMLElement {
  if (diff.trim() === "") return el("p", { class: "muted", "data-testid": "diff-empty" }, "No difference.");
  const lines = diff.split("\n").map((line) => {
    const kind = line.startsWith("+++") || line.startsWith("---") ? "file" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : "ctx";
    return el("div", { class: `diff-line diff-${kind}`, "data-testid": `diff-${kind}` }, line || " ");
  });
  return el("pre", { class: "diff" }, ...lines);
}
