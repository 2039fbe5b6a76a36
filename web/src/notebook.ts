// The open notebook: prose blocks, editable cells, run buttons and outputs. Cells keep their
// DOM between server round trips so a person's cursor and unsaved edits survive a refresh.
import { api, ApiError } from "./api.js";
import { el } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { renderOutput } from "./outputs.js";
import type { CellOutput, CellView, NotebookView } from "./types.js";

interface CellUi {
  view: CellView;
  section: HTMLElement;
  source: HTMLTextAreaElement;
  outputBox: HTMLElement;
  progress: HTMLElement;
  runButton: HTMLButtonElement;
  stopButton: HTMLButtonElement;
  savedSource: string;
  lastOutputJson: string;
}

export type Reporter = (message: string | null) => void;

export class NotebookPage {
  private readonly cells = new Map<string, CellUi>();
  private runAllButton!: HTMLButtonElement;
  private runStaleButton!: HTMLButtonElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly report: Reporter,
    private view: NotebookView,
  ) {
    this.render();
  }

  get name(): string {
    return this.view.name;
  }

  private render(): void {
    this.runAllButton = el("button", { type: "button", class: "primary", "data-testid": "run-all" }, "Run all");
    this.runAllButton.addEventListener("click", () => void this.runAll());
    this.runStaleButton = el("button", { type: "button", "data-testid": "run-stale", title: "Run the stale cells, and what they read, in dependency order" }, "Run stale");
    this.runStaleButton.addEventListener("click", () => void this.runStale());
    const exportButton = el("button", { type: "button", "data-testid": "export-report", title: "Download the redacted postmortem report of the outputs shown" }, "Export report");
    exportButton.addEventListener("click", () => void this.exportReport(exportButton));
    const header = el(
      "header",
      { class: "notebook-head" },
      el(
        "div",
        {},
        // The notebook's own leading "# Title" already heads the page; don't say it twice.
        this.startsWithTitle() ? null : el("h1", { "data-testid": "notebook-title" }, this.view.title || this.view.name),
        el("div", { class: "muted file-name" }, this.view.name),
      ),
      el("div", { class: "notebook-actions" }, el("span", { class: "hint" }, "Shift-Enter runs a cell · Ctrl-Enter saves"), exportButton, this.runStaleButton, this.runAllButton),
    );
    const blocks = el("div", { class: "blocks" });
    for (const block of this.view.blocks) {
      if (block.cell) blocks.append(this.renderCell(block.cell));
      else if (block.markdown !== null && block.markdown.trim() !== "") {
        const prose = el("div", { class: "prose", "data-testid": "prose" });
        prose.innerHTML = renderMarkdown(block.markdown); // escaped by the renderer
        blocks.append(prose);
      }
    }
    const warnings = (this.view.warnings ?? []).length === 0
      ? null
      : el("ul", { class: "notebook-warnings", "data-testid": "notebook-warnings" },
          ...this.view.warnings.map((w) => el("li", {}, w)));
    this.root.replaceChildren(...[header, warnings, blocks].filter((n): n is HTMLElement => n !== null));
  }

  private startsWithTitle(): boolean {
    const first = this.view.blocks[0]?.markdown?.trimStart() ?? "";
    const heading = /^#\s+(.*?)\s*#*\s*$/m.exec(first.split("\n")[0] ?? "");
    return heading !== null && heading[1] === this.view.title;
  }

  private renderCell(view: CellView): HTMLElement {
    const source = el("textarea", {
      class: "cell-source",
      "data-testid": "cell-source",
      spellcheck: "false",
      "aria-label": `source of ${view.kind} cell ${view.name ?? view.id}`,
    });
    source.value = view.source;
    const runButton = el("button", { type: "button", class: "run", "data-testid": "run-cell", title: "Run (Shift-Enter)" }, "▶ Run");
    const stopButton = el("button", { type: "button", class: "stop", "data-testid": "stop-cell", title: "Stop this cell", hidden: true }, "■ Stop");
    const outputBox = el("div", { class: "cell-output", "data-testid": "cell-output" });
    const progress = el("div", { class: "cell-progress", "data-testid": "cell-progress", "aria-live": "polite" });
    const section = el(
      "section",
      { class: "cell", "data-cell-id": view.id, "data-kind": view.kind, "data-testid": "cell", tabindex: "-1" },
      el(
        "div",
        { class: "cell-head" },
        el("span", { class: `badge kind kind-${view.kind}`, "data-testid": "cell-kind" }, view.kind),
        view.name ? el("span", { class: "cell-name", "data-testid": "cell-name" }, view.name) : null,
        el("span", { class: "badge stale-badge", "data-testid": "stale" }, "stale"),
        el("span", { class: "save-state", "data-testid": "save-state" }),
        el("span", { class: "spacer" }),
        stopButton,
        runButton,
      ),
      source,
      progress,
      outputBox,
    );
    const ui: CellUi = { view, section, source, outputBox, progress, runButton, stopButton, savedSource: view.source, lastOutputJson: "" };
    this.cells.set(view.id, ui);
    this.applyCell(ui, view);
    fitHeight(source);

    source.addEventListener("input", () => {
      fitHeight(source);
      this.markDirty(ui);
    });
    source.addEventListener("blur", () => void this.save(ui));
    runButton.addEventListener("click", () => void this.run(ui));
    stopButton.addEventListener("click", () => void this.stop());
    section.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey) {
        event.preventDefault();
        void this.run(ui);
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.save(ui);
      }
    });
    return section;
  }

  /** Brings one cell's badges and output in line with the server's view of it. */
  private applyCell(ui: CellUi, view: CellView): void {
    ui.view = view;
    ui.section.toggleAttribute("data-stale", view.stale);
    ui.section.classList.toggle("stale", view.stale);
    if (document.activeElement !== ui.source && ui.source.value === ui.savedSource) {
      ui.source.value = view.source;
      fitHeight(ui.source);
    }
    ui.savedSource = view.source;
    this.markDirty(ui);
    this.showOutput(ui, view.output);
  }

  private showOutput(ui: CellUi, output: CellOutput | null): void {
    const json = JSON.stringify(output);
    if (json === ui.lastOutputJson) return;
    ui.lastOutputJson = json;
    const cellId = ui.view.id;
    // SQL results are kept on the server; so is a Java cell's show(sql(...)) (else the server says so).
    const pages =
      ui.view.kind === "sql" || ui.view.kind === "java"
        ? (offset: number, limit: number, sort: string | null, desc: boolean) => api.rows(this.view.name, cellId, offset, limit, sort, desc)
        : undefined;
    ui.outputBox.replaceChildren(...(output ? [renderOutput(output, pages)] : []));
    ui.section.dataset.outputKind = output?.kind ?? "";
  }

  private markDirty(ui: CellUi): void {
    const dirty = ui.source.value !== ui.savedSource;
    ui.section.classList.toggle("dirty", dirty);
    const state = ui.section.querySelector<HTMLElement>(".save-state");
    if (state) state.textContent = dirty ? "unsaved" : "";
  }

  /** Applies a whole notebook view from the server (after save or run all). */
  sync(view: NotebookView): void {
    this.view = view;
    for (const block of view.blocks) {
      const ui = block.cell ? this.cells.get(block.cell.id) : undefined;
      if (block.cell && ui) this.applyCell(ui, block.cell);
    }
  }

  private async save(ui: CellUi): Promise<boolean> {
    const source = ui.source.value;
    if (source === ui.savedSource) return true;
    try {
      const view = await api.updateCell(this.view.name, ui.view.id, source);
      ui.savedSource = source;
      this.sync(view);
      this.report(null);
      return true;
    } catch (error) {
      this.report(describe(error, `Saving cell ${ui.view.name ?? ui.view.id} failed`));
      return false;
    }
  }

  async run(ui: CellUi): Promise<void> {
    if (ui.section.classList.contains("running")) return;
    if (!(await this.save(ui))) return;
    this.setRunning(ui, true);
    try {
      const output = await api.runCell(this.view.name, ui.view.id);
      this.showOutput(ui, output);
      ui.section.classList.remove("stale");
      ui.section.removeAttribute("data-stale");
      this.report(null);
      // Running may have made dependents stale (or fresh): refresh the badges from the server.
      this.sync(await api.open(this.view.name));
    } catch (error) {
      this.report(describe(error, `Running cell ${ui.view.name ?? ui.view.id} failed`));
    } finally {
      this.setRunning(ui, false);
    }
  }

  private async runAll(): Promise<void> {
    for (const ui of this.cells.values()) if (!(await this.save(ui))) return;
    this.runAllButton.disabled = true;
    this.runAllButton.textContent = "Running…";
    this.cells.forEach((ui) => this.setRunning(ui, true));
    try {
      this.sync(await api.runAll(this.view.name));
      this.report(null);
    } catch (error) {
      this.report(describe(error, "Run all failed"));
    } finally {
      this.cells.forEach((ui) => this.setRunning(ui, false));
      this.runAllButton.disabled = false;
      this.runAllButton.textContent = "Run all";
    }
  }

  private async runStale(): Promise<void> {
    for (const ui of this.cells.values()) if (!(await this.save(ui))) return;
    this.runStaleButton.disabled = true;
    this.runStaleButton.textContent = "Running…";
    try {
      this.sync(await api.runStale(this.view.name));
      this.report(null);
    } catch (error) {
      this.report(describe(error, "Run stale failed"));
    } finally {
      this.runStaleButton.disabled = false;
      this.runStaleButton.textContent = "Run stale";
    }
  }

  /** Asks the server to stop the running cell; the cell's own run then answers with an error. */
  private async stop(): Promise<void> {
    try {
      await api.interrupt(this.view.name);
    } catch (error) {
      this.report(describe(error, "Stop failed"));
    }
  }

  /** Downloads the HTML report of the outputs shown now; the server redacts it. */
  private async exportReport(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const html = await api.report(this.view.name, "html");
      const link = el("a", { href: URL.createObjectURL(new Blob([html], { type: "text/html" })), download: this.view.name.replace(/\.md$/, "") + "-report.html" });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      this.report(null);
    } catch (error) {
      this.report(describe(error, "Export report failed"));
    } finally {
      button.disabled = false;
    }
  }

  /** A progress line the server streamed for one of this notebook's cells. */
  showProgress(cellId: string, line: string): void {
    const ui = this.cells.get(cellId);
    if (ui && ui.section.classList.contains("running")) ui.progress.textContent = line;
  }

  private setRunning(ui: CellUi, running: boolean): void {
    ui.section.classList.toggle("running", running);
    ui.progress.textContent = "";
    ui.runButton.disabled = running;
    ui.runButton.textContent = running ? "Running…" : "▶ Run";
    ui.stopButton.hidden = !running;
  }
}

function fitHeight(area: HTMLTextAreaElement): void {
  const lines = area.value.split("\n").length;
  area.rows = Math.max(1, Math.min(lines, 30));
}

export function describe(error: unknown, what: string): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return `${what}: not authorized. Open the URL that \`tracefix serve\` printed (it carries ?token=…).`;
    return `${what}: ${error.message}`;
  }
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}
