// The schema browser: the open notebook's tables, views and named results with columns, types and
// row counts, read live from its connection. A click on a name inserts a cell that reads it.
import { call, describe } from "../api.js";
import { el } from "../dom.js";
import { registerPanel, type PanelContext } from "../shell/registry.js";
import type { Relation } from "../types.js";

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

let refresh: () => void = () => {};

registerPanel({
  id: "schema",
  title: "Schema",
  order: 20,
  mount(root: HTMLElement, context: PanelContext) {
    const search = el("input", { type: "search", placeholder: "Filter tables and columns", "data-testid": "schema-search", "aria-label": "Filter schema" });
    const list = el("div", { "data-testid": "schema-list" });
    root.replaceChildren(el("div", { class: "panel-tools" }, search), list);
    let relations: Relation[] = [];
    const render = () => {
      const q = search.value.trim().toLowerCase();
      const shown = relations.filter((r) => !q || r.name.toLowerCase().includes(q) || r.columns.some((c) => c.name.toLowerCase().includes(q)));
      list.replaceChildren(
        ...shown.map((r) => {
          const name = el("button", { type: "button", class: "link", "data-testid": "schema-relation", "data-relation": r.name, title: "Insert a cell that reads it" }, r.name);
          name.addEventListener("click", () => {
            const qualified = r.kind === "result" ? quoteIdent(r.name) : `${quoteIdent(r.schema)}.${quoteIdent(r.name)}`;
            void context.insertCell("sql", `SELECT *\nFROM ${qualified}\nLIMIT 100`);
          });
          const rows = r.rows < 0 ? "view" : `${r.rows.toLocaleString("en-US")} rows`;
          return el(
            "details",
            { class: "schema-relation" },
            el("summary", {}, el("span", { class: `badge kind kind-${r.kind}` }, r.kind), " ", name, el("span", { class: "muted" }, ` ${r.schema} · ${rows}`)),
            el("ul", { class: "schema-columns" }, ...r.columns.map((c) => el("li", {}, el("code", {}, c.name), el("span", { class: "muted" }, ` ${c.type}`)))),
          );
        }),
      );
      if (shown.length === 0) list.append(el("p", { class: "muted" }, context.notebook() ? "Nothing matches." : "Open a notebook to see its schema."));
    };
    refresh = async () => {
      const nb = context.notebook();
      if (!nb) {
        relations = [];
        return render();
      }
      try {
        relations = (await call("GET /api/notebooks/{name}/catalog", { name: nb })).relations;
      } catch (error) {
        context.report(describe(error, "Reading the schema failed"));
      }
      render();
    };
    search.addEventListener("input", render);
    void refresh();
  },
  refresh: () => refresh(),
});
