// Saved queries from the project's queries/ folder: search, preview the SQL, fill its parameters
// in a form (defaults from its header) and insert it as a SQL cell with those values.
import { call, describe } from "../api.js";
import { el } from "../dom.js";
import { withParameters } from "../editor/completion.js";
import { registerPanel, type PanelContext } from "../shell/registry.js";
import type { SavedQuery } from "../types.js";

registerPanel({
  id: "queries",
  title: "Queries",
  order: 30,
  mount(root: HTMLElement, context: PanelContext) {
    const search = el("input", { type: "search", placeholder: "Search saved queries", "data-testid": "query-search", "aria-label": "Search saved queries" });
    const list = el("div", { "data-testid": "query-list" });
    const preview = el("div", { class: "query-preview", "data-testid": "query-preview" });
    root.replaceChildren(el("div", { class: "panel-tools" }, search), list, preview);
    let queries: SavedQuery[] = [];
    const show = (q: SavedQuery) => {
      const inputs = Object.entries(q.parameters).map(([name, value]) => {
        const input = el("input", { type: "text", name, value, "data-testid": `param-${name}`, "aria-label": name });
        return { name, input, row: el("label", { class: "param" }, el("code", {}, `$${name}`), input) };
      });
      const code = el("pre", { class: "code" }, q.sql);
      const update = () => (code.textContent = withParameters(q.sql, Object.fromEntries(inputs.map((i) => [i.name, i.input.value]))));
      inputs.forEach((i) => i.input.addEventListener("input", update));
      const insert = el("button", { type: "submit", class: "small", "data-testid": "insert-query" }, "Insert as cell");
      const form = el("form", {}, ...inputs.map((i) => i.row), insert);
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const values = Object.fromEntries(inputs.map((i) => [i.name, i.input.value]));
        void context.insertCell("sql", `-- ${q.name}: ${q.title}\n${withParameters(q.sql, values)}`);
      });
      preview.replaceChildren(el("h3", {}, q.title), el("p", { class: "muted" }, q.description), form, code);
      update();
    };
    const render = () => {
      const s = search.value.trim().toLowerCase();
      const shown = queries.filter((q) => !s || `${q.name} ${q.title} ${q.description}`.toLowerCase().includes(s));
      list.replaceChildren(
        ...shown.map((q) => {
          const b = el("button", { type: "button", class: "link", "data-testid": "saved-query", "data-query": q.name }, q.name);
          b.addEventListener("click", () => show(q));
          return el("div", { class: "query-item" }, b, el("div", { class: "muted" }, q.title));
        }),
      );
      if (shown.length === 0) list.append(el("p", { class: "muted" }, "No saved query matches."));
    };
    search.addEventListener("input", render);
    call("GET /api/queries", {})
      .then((q) => {
        queries = q;
        render();
      })
      .catch((error) => context.report(describe(error, "Listing saved queries failed")));
  },
});
