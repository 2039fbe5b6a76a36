// Entry point: the app shell. A sidebar of panels (the notebook list, then every registered side
// panel), the open notebook on the right, and #/notebook/<name>[@<revision>] in the address bar
// so a notebook (or one saved version of it) can be linked and reloaded.
import { adoptTokenFromUrl, call, describe } from "./api.js";
import { el } from "./dom.js";
import { NotebookPage } from "./notebook/notebookPage.js";
import { renderReadOnly } from "./notebook/readOnlyView.js";
import { NotebookList } from "./panels/notebookList.js";
import "./panels/liveCapture.js";
import "./panels/savedQueries.js";
import "./panels/schemaBrowser.js";
import { registeredPanels, type PanelContext, type SidePanel } from "./shell/registry.js";
import "./views/index.js";

const sidebar = document.getElementById("sidebar") as HTMLElement;
const main = document.getElementById("notebook") as HTMLElement;
const banner = document.getElementById("banner") as HTMLElement;

let page: NotebookPage | null = null;

function report(message: string | null): void {
  banner.textContent = message ?? "";
  banner.hidden = message === null;
}

function route(): { name: string; revision: string | null } | null {
  const match = /^#\/notebook\/([^@]+)(?:@([0-9a-fA-F]+))?$/.exec(window.location.hash);
  return match ? { name: decodeURIComponent(match[1]), revision: match[2] ?? null } : null;
}

const context: PanelContext = {
  notebook: () => page?.name ?? null,
  insertCell: async (kind, source) => {
    if (!page) return report("Open a notebook first.");
    await page.insertCell(kind, source);
  },
  report,
};

const listBox = el("div", { class: "panel", "data-panel": "notebooks" });
const notebooks = new NotebookList(listBox, () => route()?.name ?? null, report);

/** Sidebar tabs: the notebook list first, then the registered panels, each mounted on first show. */
function buildSidebar(): void {
  const panels: (SidePanel & { box?: HTMLElement })[] = [
    { id: "notebooks", title: "Notebooks", order: 0, mount: () => {}, box: listBox },
    ...registeredPanels(),
  ];
  const tabs = el("div", { class: "panel-tabs", role: "tablist" });
  const body = el("div", { class: "panel-body" }, listBox);
  const mounted = new Set<string>(["notebooks"]);
  const boxes = new Map<string, HTMLElement>([["notebooks", listBox]]);
  const show = (id: string) => {
    for (const p of panels) {
      let box = boxes.get(p.id);
      if (p.id === id && !box) {
        box = el("div", { class: "panel", "data-panel": p.id });
        boxes.set(p.id, box);
        body.append(box);
      }
      if (p.id === id && !mounted.has(p.id) && box) {
        mounted.add(p.id);
        p.mount(box, context);
      }
      if (box) box.hidden = p.id !== id;
    }
    tabs.querySelectorAll("button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.panel === id)));
  };
  for (const p of panels) {
    const tab = el("button", { type: "button", role: "tab", "data-panel": p.id, "data-testid": `panel-tab-${p.id}` }, p.title);
    tab.addEventListener("click", () => show(p.id));
    tabs.append(tab);
  }
  sidebar.replaceChildren(tabs, body);
  show("notebooks");
  refreshPanels = () => panels.forEach((p) => mounted.has(p.id) && p.refresh?.());
}

let refreshPanels: () => void = () => {};

async function openSelected(): Promise<void> {
  const at = route();
  notebooks.render();
  page?.destroy();
  page = null;
  if (!at) {
    main.replaceChildren(el("div", { class: "empty" }, el("p", {}, "Pick a notebook on the left, or create one.")));
    refreshPanels();
    return;
  }
  main.replaceChildren(el("p", { class: "muted loading" }, `Opening ${at.name}…`));
  try {
    if (at.revision) {
      main.replaceChildren(renderReadOnly(await call("GET /api/notebooks/{name}/at/{revision}", { name: at.name, revision: at.revision }), at.revision));
    } else {
      page = new NotebookPage(main, report, await call("GET /api/notebooks/{name}", { name: at.name }), () => refreshPanels());
    }
    report(null);
  } catch (error) {
    main.replaceChildren(
      el("div", { class: "output output-error", "data-testid": "open-error", role: "alert" }, describe(error, `Opening ${at.name} failed`)),
    );
  }
  refreshPanels();
}

/** Progress of long cells, streamed by the server; the page works without it. */
function followProgress(): void {
  if (typeof EventSource === "undefined") return;
  const events = new EventSource("/api/events");
  events.addEventListener("progress", (event) => {
    const { notebook, cellId, line } = JSON.parse((event as MessageEvent<string>).data) as {
      notebook: string;
      cellId: string;
      line: string;
    };
    if (page && page.name === notebook) page.showProgress(cellId, line);
  });
}

adoptTokenFromUrl();
buildSidebar();
followProgress();
window.addEventListener("hashchange", () => void openSelected());
void notebooks.load().then(openSelected);
