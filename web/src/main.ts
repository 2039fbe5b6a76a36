// Entry point: the notebook list on the left, the open notebook on the right, and
// #/notebook/<name> in the address bar so a notebook can be linked and reloaded.
import { adoptTokenFromUrl, api } from "./api.js";
import { el } from "./dom.js";
import { describe, NotebookPage } from "./notebook.js";
import type { NotebookSummary } from "./types.js";

const listBox = document.getElementById("notebook-list") as HTMLElement;
const main = document.getElementById("notebook") as HTMLElement;
const banner = document.getElementById("banner") as HTMLElement;

let page: NotebookPage | null = null;

function report(message: string | null): void {
  banner.textContent = message ?? "";
  banner.hidden = message === null;
}

function selectedName(): string | null {
  const match = /^#\/notebook\/(.+)$/.exec(window.location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

/** The workspace lists a file it cannot parse with a count of -1; opening it shows why. */
function cellCountText(count: number): string {
  if (count < 0) return "cannot be read";
  return `${count} cell${count === 1 ? "" : "s"}`;
}

function renderList(notebooks: NotebookSummary[]): void {
  const current = selectedName();
  const items = notebooks.map((nb) =>
    el(
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
    ),
  );
  listBox.replaceChildren(
    items.length ? el("ul", {}, ...items) : el("p", { class: "muted" }, "No notebooks in this folder yet."),
  );
}

async function loadList(): Promise<void> {
  try {
    renderList(await api.list());
  } catch (error) {
    listBox.replaceChildren(el("p", { class: "muted" }, "Could not load notebooks."));
    report(describe(error, "Listing notebooks failed"));
  }
}

async function openSelected(): Promise<void> {
  const name = selectedName();
  listBox.querySelectorAll("a[data-notebook]").forEach((a) => {
    a.classList.toggle("active", a.getAttribute("data-notebook") === name);
  });
  page = null;
  if (!name) {
    main.replaceChildren(el("div", { class: "empty" }, el("p", {}, "Pick a notebook on the left.")));
    return;
  }
  main.replaceChildren(el("p", { class: "muted loading" }, `Opening ${name}…`));
  try {
    page = new NotebookPage(main, report, await api.open(name));
    report(null);
  } catch (error) {
    main.replaceChildren(
      el("div", { class: "output output-error", "data-testid": "open-error", role: "alert" }, describe(error, `Opening ${name} failed`)),
    );
  }
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
followProgress();
window.addEventListener("hashchange", () => void openSelected());
void loadList().then(openSelected);
