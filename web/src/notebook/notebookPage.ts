// The open notebook: a toolbar, its blocks (prose and code cells) in file order, Jupyter's edit
// and command modes, and a run queue. Requests run one cell at a time, in order, like a kernel;
// everything waits asynchronously, so a running cell never blocks the page.
//
// How a server message reaches a cell: a run answers with the cell's CellOutput (CellUi.showOutput
// renders it through the renderer registry, then the built-in renderers); after it the notebook
// view is fetched again so stale marks of dependents update (CellUi.apply); progress lines arrive
// on the /api/events stream (main.ts) and go to showProgress.
import { call, describe } from "../api.js";
import { el } from "../dom.js";
import { CompletionStore } from "../editor/completion.js";
import type { OutputContext } from "../shell/registry.js";
import type { BlockEdit, CellView, NotebookView } from "../types.js";
import { CellUi } from "./cellUi.js";
import { ProseUi } from "./proseUi.js";
import { type Command, SHORTCUTS, shortcutOverlay } from "./shortcuts.js";
import { HistoryDialog } from "./historyDialog.js";

export type Reporter = (message: string | null) => void;

type BlockUi = CellUi | ProseUi;

interface Deleted {
  index: number;
  kind: string;
  source: string;
  id: string | null;
}

export class NotebookPage {
  private blocks: BlockUi[] = [];
  private selected = 0;
  private queue: CellUi[] = [];
  private draining = false;
  private deleted: Deleted[] = [];
  private lastKey = "";
  readonly completions: CompletionStore;
  private readonly blocksBox = el("div", { class: "blocks", "data-testid": "blocks" });
  private readonly onKey = (e: KeyboardEvent) => this.commandKey(e);

  constructor(
    private readonly root: HTMLElement,
    private readonly report: Reporter,
    private view: NotebookView,
    private readonly afterRun: () => void,
  ) {
    this.completions = new CompletionStore(view.name);
    void this.completions.refresh(true);
    this.renderShell();
    this.renderBlocks();
    document.addEventListener("keydown", this.onKey);
  }

  get name(): string {
    return this.view.name;
  }

  destroy(): void {
    document.removeEventListener("keydown", this.onKey);
    this.blocks.forEach((b) => b.destroy());
  }

  private button(label: string, testid: string, title: string, action: () => unknown, primary = false): HTMLButtonElement {
    const b = el("button", { type: "button", class: primary ? "primary" : "small", "data-testid": testid, title }, label);
    b.addEventListener("click", () => void action());
    return b;
  }

  private renderShell(): void {
    const toolbar = el(
      "div",
      { class: "notebook-actions", role: "toolbar" },
      this.button("Run all", "run-all", "Run every cell in order", () => this.runAll(), true),
      this.button("Run stale", "run-stale", "Run the stale cells, and what they read, in dependency order", () => this.runStale()),
      this.button("■ Interrupt", "interrupt", "Stop the running cell and drop the queued ones", () => this.interrupt()),
      this.button("↻ Restart", "restart-kernel", "Restart the notebook's kernels (results are dropped, outputs go stale)", () => this.restart()),
      this.button("Save", "save", "Commit the notebook to the folder's git repository", () => this.save()),
      this.button("History", "history", "Saved versions, open one, compare two", () => this.history()),
      this.button("Report", "export-report", "Download the redacted postmortem report of the outputs shown", () => this.exportReport()),
      this.button("?", "show-shortcuts", "Keyboard shortcuts", () => this.help()),
    );
    const warnings =
      this.view.warnings.length === 0
        ? null
        : el("ul", { class: "notebook-warnings", "data-testid": "notebook-warnings" }, ...this.view.warnings.map((w) => el("li", {}, w)));
    const header = el(
      "header",
      { class: "notebook-head" },
      el("div", {}, el("div", { class: "muted file-name", "data-testid": "notebook-name" }, this.view.name)),
      toolbar,
    );
    this.root.replaceChildren(...[header, warnings, this.blocksBox].filter((n): n is HTMLElement => n !== null));
  }

  /** (Re)builds every block from the view: after a structural edit. */
  private renderBlocks(): void {
    this.blocks.forEach((b) => b.destroy());
    this.blocks = [];
    this.view.blocks.forEach((block, index) => {
      if (block.cell) {
        this.blocks.push(this.cellUi(block.cell, index));
      } else if (block.markdown !== null && block.markdown.trim() !== "") {
        const prose = new ProseUi(
          block.markdown,
          index,
          this.completions,
          (text) => this.edit({ op: "prose", index, kind: null, source: text, id: null }, false),
          () => this.enterCommandMode(),
        );
        prose.section.addEventListener("mousedown", () => this.select(this.blocks.indexOf(prose)));
        this.blocks.push(prose);
      }
    });
    this.blocksBox.replaceChildren(...this.blocks.map((b) => b.section));
    this.select(Math.min(this.selected, this.blocks.length - 1));
  }

  private cellUi(view: CellView, index: number): CellUi {
    const ui: CellUi = new CellUi(
      view,
      index,
      this.view.name,
      {
        runAndMove: () => void this.runAndMove(ui),
        runInPlace: () => void this.enqueue([ui]),
        runAndInsert: () => void this.runAndInsert(ui),
        commandMode: () => this.enterCommandMode(),
        changed: () => ui.markDirty(),
        blurred: () => void this.saveSource(ui),
      },
      this.completions,
      (cell) => this.outputContext(cell),
    );
    ui.runButton.addEventListener("click", () => void this.enqueue([ui]));
    ui.stopButton.addEventListener("click", () => void this.interrupt());
    ui.section.addEventListener("mousedown", () => this.select(this.blocks.indexOf(ui)));
    return ui;
  }

  private outputContext(cell: CellView): OutputContext {
    return {
      notebook: this.view.name,
      cell,
      insertCellAfter: async (kind, source) => {
        const at = this.view.blocks.findIndex((b) => b.cell?.id === cell.id);
        await this.edit({ op: "insert", index: at + 1, kind, source, id: null }, true);
      },
    };
  }

  // ---- selection and modes ----

  private select(index: number): void {
    if (index < 0 || index >= this.blocks.length) return;
    this.selected = index;
    this.blocks.forEach((b, i) => b.section.classList.toggle("selected", i === index));
    this.root.dataset.selectedBlock = String(this.blocks[index].blockIndex);
  }

  private get current(): BlockUi | undefined {
    return this.blocks[this.selected];
  }

  private enterCommandMode(): void {
    const ui = this.current;
    (document.activeElement as HTMLElement | null)?.blur();
    ui?.section.focus({ preventScroll: true });
    this.root.dataset.mode = "command";
  }

  private editSelected(): void {
    const ui = this.current;
    if (!ui) return;
    this.root.dataset.mode = "edit";
    if (ui instanceof CellUi) ui.editor.focus();
    else ui.edit();
  }

  /** Command mode: keys act on the selected cell when no editor or input has the focus. */
  private commandKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    if (target && (target.closest(".cm-editor") || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (!target?.closest("[data-testid=blocks]") && target !== document.body) return;
    if (document.querySelector("[data-testid=shortcuts]")) return;
    if (e.key === "d" && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      if (this.lastKey === "d") {
        this.lastKey = "";
        void this.run("delete");
      } else {
        this.lastKey = "d";
      }
      return;
    }
    this.lastKey = "";
    const shortcut = SHORTCUTS.find((s) => s.command && s.match?.(e));
    if (!shortcut?.command) return;
    e.preventDefault();
    void this.run(shortcut.command);
  }

  private async run(command: Command): Promise<void> {
    const ui = this.current;
    const index = ui?.blockIndex ?? this.view.blocks.length;
    switch (command) {
      case "edit":
        return this.editSelected();
      case "insertAbove":
        return this.edit({ op: "insert", index, kind: "sql", source: "", id: null }, true);
      case "insertBelow":
        return this.edit({ op: "insert", index: ui ? index + 1 : index, kind: "sql", source: "", id: null }, true);
      case "delete":
        if (!ui) return;
        this.deleted.push(
          ui instanceof CellUi
            ? { index, kind: ui.view.kind, source: ui.source, id: ui.view.id }
            : { index, kind: "markdown", source: this.view.blocks[index].markdown ?? "", id: null },
        );
        return this.edit({ op: "delete", index, kind: null, source: null, id: null }, false);
      case "undoDelete": {
        const last = this.deleted.pop();
        if (last) await this.edit({ op: "insert", index: last.index, kind: last.kind, source: last.source, id: last.id }, false);
        return;
      }
      case "toMarkdown":
        if (ui instanceof CellUi) await this.edit({ op: "convert", index, kind: "markdown", source: null, id: null }, false);
        return;
      case "toCode":
        if (ui instanceof ProseUi) await this.edit({ op: "convert", index, kind: "sql", source: null, id: null }, false);
        return;
      case "down":
        return this.select(this.selected + 1);
      case "up":
        return this.select(this.selected - 1);
      case "runAndMove":
        if (ui instanceof CellUi) await this.runAndMove(ui);
        return;
      case "runInPlace":
        if (ui instanceof CellUi) await this.enqueue([ui]);
        return;
      case "runAndInsert":
        if (ui instanceof CellUi) await this.runAndInsert(ui);
        return;
      case "help":
        return this.help();
    }
  }

  private help(): void {
    const overlay = shortcutOverlay();
    document.body.append(overlay);
    overlay.tabIndex = -1;
    overlay.focus();
  }

  // ---- structural edits ----

  /**
   * Applies a structural edit on the server and rebuilds the blocks; `editAfter` opens the block
   * at the edited index for typing (a new cell).
   */
  private async edit(edit: BlockEdit, editAfter: boolean): Promise<void> {
    if (!(await this.saveAll())) return;
    try {
      this.view = await call("POST /api/notebooks/{name}/blocks", { name: this.view.name }, { body: edit });
      this.report(null);
    } catch (error) {
      this.report(describe(error, `Editing the notebook (${edit.op}) failed`));
      return;
    }
    this.renderBlocks();
    const shown = this.blocks.findIndex((b) => b.blockIndex >= Math.min(edit.index, this.view.blocks.length - 1));
    this.select(shown < 0 ? this.blocks.length - 1 : shown);
    if (editAfter) this.editSelected();
    else this.enterCommandMode();
  }

  /** Inserts a cell after the selected block (or at the end): side panels use it. */
  async insertCell(kind: string, source: string): Promise<void> {
    const ui = this.current;
    const index = ui ? ui.blockIndex + 1 : this.view.blocks.length;
    await this.edit({ op: "insert", index, kind, source, id: null }, false);
  }

  // ---- saving ----

  private async saveSource(ui: CellUi): Promise<boolean> {
    if (!ui.dirty) return true;
    const source = ui.source;
    try {
      const view = await call("PUT /api/notebooks/{name}/cells/{id}", { name: this.view.name, id: ui.view.id }, { body: { source, base: ui.base } });
      ui.markSaved(source);
      this.sync(view);
      return true;
    } catch (error) {
      this.report(describe(error, `Saving cell ${ui.view.name ?? ui.view.id} failed`));
      return false;
    }
  }

  private async saveAll(): Promise<boolean> {
    for (const b of this.blocks) {
      if (b instanceof CellUi && !(await this.saveSource(b))) return false;
      if (b instanceof ProseUi && b.editing) await b.leave();
    }
    return true;
  }

  /** Applies a whole view from the server to the cells shown (same structure). */
  sync(view: NotebookView): void {
    this.view = view;
    for (const b of this.blocks) {
      const cell = b instanceof CellUi ? view.blocks[b.blockIndex]?.cell : null;
      if (b instanceof CellUi && cell && cell.id === b.view.id) b.apply(cell);
    }
  }

  // ---- running ----

  private async runAndMove(ui: CellUi): Promise<void> {
    const at = this.blocks.indexOf(ui);
    const queued = this.enqueue([ui]);
    if (at === this.blocks.length - 1) {
      await queued;
      await this.edit({ op: "insert", index: ui.blockIndex + 1, kind: ui.view.kind === "java" ? "java" : "sql", source: "", id: null }, true);
    } else {
      this.select(at + 1);
      this.enterCommandMode();
      await queued;
    }
  }

  private async runAndInsert(ui: CellUi): Promise<void> {
    const queued = this.enqueue([ui]);
    await queued;
    await this.edit({ op: "insert", index: ui.blockIndex + 1, kind: "sql", source: "", id: null }, true);
  }

  /** Queues cells to run in order; resolves when the queue has drained. */
  private async enqueue(cells: CellUi[]): Promise<void> {
    for (const ui of cells) {
      if (!this.queue.includes(ui) && ui.state !== "running") {
        this.queue.push(ui);
        ui.setState("queued");
      }
    }
    if (this.draining) {
      while (this.draining) await new Promise((r) => setTimeout(r, 50));
      return;
    }
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const ui = this.queue.shift()!;
        await this.runOne(ui);
        if (ui.state === "error") this.dropQueue(); // like a kernel: later cells would read a failed one
      }
    } finally {
      this.draining = false;
      this.afterRun();
    }
  }

  private dropQueue(): void {
    for (const q of this.queue) q.setState(q.view.stale ? "stale" : q.view.output ? "done" : "idle");
    this.queue = [];
  }

  /** Cells run since the page opened (tests and benchmarks wait on it). */
  private runs = 0;

  private async runOne(ui: CellUi): Promise<void> {
    if (!(await this.saveSource(ui))) {
      ui.setState("error");
      return;
    }
    ui.setState("running");
    try {
      const output = await call("POST /api/notebooks/{name}/cells/{id}/run", { name: this.view.name, id: ui.view.id });
      ui.showOutput(output);
      ui.setState(output.kind === "error" ? "error" : "done");
      this.report(null);
      // Running may have made dependents stale (or fresh) and changed the catalog.
      this.sync(await call("GET /api/notebooks/{name}", { name: this.view.name }));
      void this.completions.refresh();
    } catch (error) {
      ui.setState("error");
      this.report(describe(error, `Running cell ${ui.view.name ?? ui.view.id} failed`));
    } finally {
      this.root.dataset.runs = String(++this.runs);
    }
  }

  private async runAll(): Promise<void> {
    await this.enqueue(this.blocks.filter((b): b is CellUi => b instanceof CellUi));
  }

  private async runStale(): Promise<void> {
    if (!(await this.saveAll())) return;
    const stale = this.blocks.filter((b): b is CellUi => b instanceof CellUi && b.view.stale);
    stale.forEach((ui) => ui.setState("queued"));
    try {
      this.sync(await call("POST /api/notebooks/{name}/run-stale", { name: this.view.name }));
      this.report(null);
    } catch (error) {
      this.report(describe(error, "Run stale failed"));
    } finally {
      stale.forEach((ui) => ui.setState(ui.view.output?.kind === "error" ? "error" : ui.view.stale ? "stale" : "done"));
      this.sync(this.view);
      void this.completions.refresh();
      this.afterRun();
    }
  }

  /** Stops the running cell (its run then answers with an error) and drops the queued ones. */
  private async interrupt(): Promise<void> {
    this.dropQueue();
    try {
      await call("POST /api/notebooks/{name}/interrupt", { name: this.view.name });
    } catch (error) {
      this.report(describe(error, "Interrupt failed"));
    }
  }

  private async restart(): Promise<void> {
    this.dropQueue();
    try {
      this.sync(await call("POST /api/notebooks/{name}/restart", { name: this.view.name }));
      this.report("Kernel restarted: results are gone; outputs shown are stale.");
      void this.completions.refresh();
    } catch (error) {
      this.report(describe(error, "Restart failed"));
    }
  }

  private async save(): Promise<void> {
    if (!(await this.saveAll())) return;
    const message = window.prompt("Commit message", `Update ${this.view.name}`);
    if (message === null) return;
    try {
      const result = await call("POST /api/notebooks/{name}/save", { name: this.view.name }, { body: { message } });
      this.report(result.saved && result.revision ? `Saved as ${result.revision.id.slice(0, 10)}: ${result.revision.message}` : "Nothing to save: no change since the last version.");
    } catch (error) {
      this.report(describe(error, "Save failed"));
    }
  }

  private history(): void {
    new HistoryDialog(this.view.name, this.report).open();
  }

  private async exportReport(): Promise<void> {
    try {
      const html = await call("GET /api/notebooks/{name}/report", { name: this.view.name }, { query: { format: "html" } });
      const link = el("a", { href: URL.createObjectURL(new Blob([html], { type: "text/html" })), download: this.view.name.replace(/\.md$/, "") + "-report.html" });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      this.report(null);
    } catch (error) {
      this.report(describe(error, "Export report failed"));
    }
  }

  /** A progress line the server streamed for one of this notebook's cells. */
  showProgress(cellId: string, line: string): void {
    for (const b of this.blocks) if (b instanceof CellUi && b.view.id === cellId) b.showProgress(line);
  }
}
