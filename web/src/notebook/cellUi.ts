// One code cell on the page: its editor, run/stop buttons, state badge (idle, queued, running
// with elapsed time, stale, error) and output. It keeps its DOM and editor across server
// updates, so the cursor and unsaved edits survive a refresh of the notebook.
import { el } from "../dom.js";
import { CellEditor, type CellKeys } from "../editor/cellEditor.js";
import type { CompletionStore } from "../editor/completion.js";
import { errorPosition, renderOutput } from "../outputs/outputs.js";
import { customRendering, type OutputContext } from "../shell/registry.js";
import type { CellOutput, CellView } from "../types.js";

export type CellState = "idle" | "queued" | "running" | "stale" | "error" | "done";

export class CellUi {
  readonly section: HTMLElement;
  readonly editor: CellEditor;
  private readonly outputBox: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly stateBadge: HTMLElement;
  readonly runButton: HTMLButtonElement;
  readonly stopButton: HTMLButtonElement;
  private savedSource: string;
  private lastOutputJson = "";
  /** Outputs drawn so far (tests check a scrolled grid is not drawn again). */
  private outputRenders = 0;
  private timer: number | undefined;
  private startedAt = 0;
  state: CellState = "idle";

  constructor(
    public view: CellView,
    readonly blockIndex: number,
    private readonly notebook: string,
    keys: CellKeys,
    store: CompletionStore,
    private readonly outputContext: (cell: CellView) => OutputContext,
  ) {
    this.savedSource = view.source;
    this.runButton = el("button", { type: "button", class: "run", "data-testid": "run-cell", title: "Run (Shift-Enter)" }, "▶ Run");
    this.stopButton = el("button", { type: "button", class: "stop", "data-testid": "stop-cell", title: "Interrupt this cell", hidden: true }, "■ Stop");
    this.stateBadge = el("span", { class: "badge cell-state", "data-testid": "cell-state" });
    this.outputBox = el("div", { class: "cell-output", "data-testid": "cell-output" });
    this.progress = el("div", { class: "cell-progress", "data-testid": "cell-progress", "aria-live": "polite" });
    const editorBox = el("div", { class: "cell-editor" });
    this.section = el(
      "section",
      { class: "cell block", "data-cell-id": view.id, "data-kind": view.kind, "data-testid": "cell", "data-block": String(blockIndex), tabindex: "-1" },
      el(
        "div",
        { class: "cell-head" },
        el("span", { class: `badge kind kind-${view.kind}`, "data-testid": "cell-kind" }, view.kind),
        view.name ? el("span", { class: "cell-name", "data-testid": "cell-name" }, view.name) : null,
        el("span", { class: "badge stale-badge", "data-testid": "stale" }, "stale"),
        this.stateBadge,
        el("span", { class: "save-state", "data-testid": "save-state" }),
        el("span", { class: "spacer" }),
        this.stopButton,
        this.runButton,
      ),
      editorBox,
      this.progress,
      this.outputBox,
    );
    this.editor = new CellEditor(editorBox, view.kind, view.source, keys, store);
    this.apply(view);
  }

  get source(): string {
    return this.editor.text;
  }

  get dirty(): boolean {
    return this.editor.text !== this.savedSource;
  }

  /** The source this cell's edit started from: the server refuses a save whose base is stale. */
  get base(): string {
    return this.savedSource;
  }

  markSaved(source: string): void {
    this.savedSource = source;
    this.markDirty();
  }

  markDirty(): void {
    this.section.classList.toggle("dirty", this.dirty);
    const state = this.section.querySelector<HTMLElement>(".save-state");
    if (state) state.textContent = this.dirty ? "unsaved" : "";
  }

  /** Brings badges and output in line with the server's view of the cell. */
  apply(view: CellView): void {
    this.view = view;
    this.section.toggleAttribute("data-stale", view.stale);
    this.section.classList.toggle("stale", view.stale);
    // The server's source replaces the editor's whenever the person has no unsaved edit, focused
    // or not, and the base moves with it: an editor left showing older text over a newer base
    // would count as an edit and write that older text back over the server's. An unchanged text
    // is left alone, so a refresh does not move the cursor.
    if (!this.dirty) {
      if (this.editor.text !== view.source) this.editor.text = view.source;
      this.savedSource = view.source;
    }
    this.markDirty();
    this.showOutput(view.output);
    if (this.state !== "running" && this.state !== "queued") {
      this.setState(view.output?.kind === "error" ? "error" : view.stale ? "stale" : view.output ? "done" : "idle");
    }
  }

  showOutput(output: CellOutput | null): void {
    const json = JSON.stringify(output);
    if (json === this.lastOutputJson) return;
    this.lastOutputJson = json;
    this.section.dataset.outputKind = output?.kind ?? "";
    this.section.dataset.outputRenders = String(++this.outputRenders);
    if (!output) {
      this.outputBox.replaceChildren();
      return;
    }
    const rendered =
      customRendering(output, this.outputContext(this.view)) ??
      renderOutput(output, { notebook: this.notebook, cellId: this.view.id, paged: this.view.kind === "sql" || this.view.kind === "java" });
    this.outputBox.replaceChildren(rendered);
    const position = output.kind === "error" && this.view.kind === "sql" ? errorPosition(output) : null;
    this.editor.markError(position ? position.line : null);
  }

  showProgress(line: string): void {
    if (this.state === "running") this.progress.textContent = line;
  }

  /** The cell's state badge; running counts its elapsed time without blocking anything. */
  setState(state: CellState): void {
    this.state = state;
    this.section.dataset.state = state;
    this.section.classList.toggle("running", state === "running");
    this.section.classList.toggle("queued", state === "queued");
    this.runButton.disabled = state === "running" || state === "queued";
    this.runButton.textContent = state === "running" ? "Running…" : state === "queued" ? "Queued" : "▶ Run";
    this.stopButton.hidden = state !== "running";
    window.clearInterval(this.timer);
    this.timer = undefined;
    if (state === "running") {
      this.startedAt = performance.now();
      const tick = () => (this.stateBadge.textContent = `running ${((performance.now() - this.startedAt) / 1000).toFixed(1)} s`);
      tick();
      this.timer = window.setInterval(tick, 100);
    } else {
      this.progress.textContent = "";
      this.stateBadge.textContent = state === "idle" || state === "done" || state === "stale" ? "" : state;
    }
  }

  destroy(): void {
    window.clearInterval(this.timer);
    this.editor.destroy();
  }
}
