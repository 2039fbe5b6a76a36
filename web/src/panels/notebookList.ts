// The notebooks of the folder: search by name or title, open, create (blank or from a template:
// any notebook, copied without outputs), rename.
import { call, describe } from "../api.js";
import { el } from "../dom.js";
import type { NotebookSummary } from "../types.js";

/** The workspace lists a file it cannot parse with a count of -1; opening it shows why. */
function cellCountText(count: number): string {
  if (count < 0) return "cannot be read";
  return `${count} cell${count === 1 ? "" : "s"}`;
}

export class NotebookList {
  private notebooks: NotebookSummary[] = [];
  private readonly search = el("input", { type: "search", placeholder: "Search notebooks", "data-testid": "notebook-search", "aria-label": "Search notebooks" });
  private readonly list = el("div", { id: "notebook-list", "data-testid": "notebook-list" }, el("p", { class: "muted" }, "Loading…"));

  constructor(
    readonly root: HTMLElement,
    private readonly current: () => string | null,
    private readonly report: (message: string | null) => void,
  ) {
    const newButton = el("button", { type: "button", class: "small", "data-testid": "new-notebook", title: "New notebook (blank or from a template)" }, "+ New");
    newButton.addEventListener("click", () => this.showNewForm());
    this.search.addEventListener("input", () => this.render());
    root.replaceChildren(el("div", { class: "panel-tools" }, this.search, newButton), this.list);
  }

  async load(): Promise<void> {
    try {
      this.notebooks = await call("GET /api/notebooks", {});
      this.render();
    } catch (error) {
      this.list.replaceChildren(el("p", { class: "muted" }, "Could not load notebooks."));
      this.report(describe(error, "Listing notebooks failed"));
    }
  }

  render(): void {
    const q = this.search.value.trim().toLowerCase();
    const shown = this.notebooks.filter((nb) => !q || nb.name.toLowerCase().includes(q) || nb.title.toLowerCase().includes(q));
    const current = this.current();
    const items = shown.map((nb) => {
      const rename = el("button", { type: "button", class: "icon", "data-testid": "rename-notebook", title: `Rename ${nb.name}` }, "✎");
      rename.addEventListener("click", (e) => {
        e.preventDefault();
        void this.rename(nb);
      });
      return el(
        "li",
        {},
        el(
          "a",
          {
            href: `#/notebook/${encodeURIComponent(nb.name)}`,
            "data-testid": "notebook-link",
            "data-notebook": nb.name,
            class: [nb.name === current ? "active" : "", nb.cellCount < 0 ? "unreadable" : ""].join(" ").trim() || undefined,
          },
          el("span", { class: "title" }, nb.title || nb.name),
          el("span", { class: "meta" }, `${nb.name} · ${cellCountText(nb.cellCount)}`),
        ),
        rename,
      );
    });
    this.list.replaceChildren(
      items.length ? el("ul", {}, ...items) : el("p", { class: "muted" }, q ? "No notebook matches." : "No notebooks in this folder yet."),
    );
  }

  private showNewForm(): void {
    const name = el("input", { type: "text", placeholder: "incident.md", "data-testid": "new-notebook-name", "aria-label": "file name" });
    const template = el(
      "select",
      { "data-testid": "new-notebook-template", "aria-label": "template" },
      el("option", { value: "" }, "Blank (one SQL cell)"),
      ...this.notebooks.filter((nb) => nb.cellCount >= 0).map((nb) => el("option", { value: nb.name }, `Copy of ${nb.title || nb.name}`)),
    );
    const create = el("button", { type: "submit", class: "small", "data-testid": "create-notebook" }, "Create");
    const form = el("form", { class: "new-notebook" }, name, template, create);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const file = name.value.trim().endsWith(".md") ? name.value.trim() : `${name.value.trim()}.md`;
      try {
        const view = await call("POST /api/notebooks", {}, { body: { name: file, template: template.value || null } });
        form.remove();
        await this.load();
        window.location.hash = `#/notebook/${encodeURIComponent(view.name)}`;
      } catch (error) {
        this.report(describe(error, "Creating the notebook failed"));
      }
    });
    this.root.querySelector("form.new-notebook")?.remove();
    this.list.before(form);
    name.focus();
  }

  private async rename(nb: NotebookSummary): Promise<void> {
    const to = window.prompt(`Rename ${nb.name} to`, nb.name);
    if (!to || to === nb.name) return;
    try {
      const renamed = await call("POST /api/notebooks/{name}/rename", { name: nb.name }, { body: { to } });
      await this.load();
      if (this.current() === nb.name) window.location.hash = `#/notebook/${encodeURIComponent(renamed.name)}`;
    } catch (error) {
      this.report(describe(error, "Renaming failed"));
    }
  }
}
