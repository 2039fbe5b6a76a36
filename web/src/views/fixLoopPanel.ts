// The fix loop's side panel: the open notebook's minimize, bisect and patch cells with their
// progress while they run (oracle runs done of ddmin's bound, bisect steps of its ⌈log2 N⌉
// estimate, the commit under test), a Cancel that interrupts the notebook, and what each found.
// Progress arrives as the loop's lines on /api/events ("stage: message [done/bound]", written by
// fixloop's ProgressEvent.line()).
import { call } from "../api.js";
import { el } from "../dom.js";
import { registerPanel, type PanelContext } from "../shell/registry.js";
import type { CellView, NotebookView } from "../types.js";

const KINDS = new Set(["minimize", "bisect", "patch"]);
const LINE = /^(\w+): (.*?)(?: \[(\d+)(?:\/(\d+))?\])?$/;
const COMMIT = /\b[0-9a-f]{7,40}\b/;

export interface LoopProgress {
  stage: string;
  message: string;
  done: number | null;
  bound: number | null;
  commit: string | null;
}

/** One progress line of the loop, as ProgressEvent.line() writes it. */
export function parseProgress(line: string): LoopProgress {
  const m = LINE.exec(line);
  if (!m) return { stage: "", message: line, done: null, bound: null, commit: null };
  return {
    stage: m[1],
    message: m[2],
    done: m[3] === undefined ? null : Number(m[3]),
    bound: m[4] === undefined ? null : Number(m[4]),
    commit: COMMIT.exec(m[2])?.[0] ?? null,
  };
}

class FixLoopPanel {
  private readonly list = el("div", { class: "fixloop-list" });
  private readonly rows = new Map<string, { progress: HTMLElement; bar: HTMLProgressElement; result: HTMLElement; run: HTMLButtonElement; cancel: HTMLButtonElement }>();
  private notebook: string | null = null;

  constructor(
    root: HTMLElement,
    private readonly context: PanelContext,
  ) {
    root.append(el("p", { class: "muted" }, "Minimize, bisect and patch cells of this notebook."), this.list);
    if (typeof EventSource !== "undefined") {
      const events = new EventSource("/api/events");
      events.addEventListener("progress", (event) => {
        const p = JSON.parse((event as MessageEvent<string>).data) as { notebook: string; cellId: string; line: string };
        if (p.notebook === this.notebook) this.show(p.cellId, parseProgress(p.line));
      });
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    this.notebook = this.context.notebook();
    this.rows.clear();
    if (!this.notebook) {
      this.list.replaceChildren(el("p", { class: "muted" }, "Open a notebook."));
      return;
    }
    const view: NotebookView = await call("GET /api/notebooks/{name}", { name: this.notebook });
    const cells = view.blocks.map((b) => b.cell).filter((c): c is CellView => !!c && KINDS.has(c.kind));
    this.list.replaceChildren(...(cells.length ? cells.map((c) => this.row(c)) : [el("p", { class: "muted" }, "No fix-loop cells here.")]));
  }

  private row(cell: CellView): HTMLElement {
    const run = el("button", { type: "button", "data-testid": "fixloop-run" }, "Run");
    const cancel = el("button", { type: "button", "data-testid": "fixloop-cancel", disabled: true }, "Cancel");
    const bar = el("progress", { max: "1", value: "0", "data-testid": "fixloop-bar" }) as HTMLProgressElement;
    const progress = el("div", { class: "meter", "data-testid": "fixloop-progress" });
    const result = el("div", { class: "meter", "data-testid": "fixloop-result" }, summary(cell));
    run.addEventListener("click", () => void this.run(cell.id));
    cancel.addEventListener("click", () => void call("POST /api/notebooks/{name}/interrupt", { name: this.notebook! }));
    this.rows.set(cell.id, { progress, bar, result, run, cancel });
    return el("div", { class: "fixloop-cell", "data-testid": "fixloop-cell", "data-cell-id": cell.id },
      el("div", {}, el("strong", {}, cell.kind), ` ${cell.id} `, run, cancel), bar, progress, result);
  }

  private show(cellId: string, p: LoopProgress): void {
    const row = this.rows.get(cellId);
    if (!row) return;
    if (p.done !== null && p.bound !== null && p.bound > 0) {
      row.bar.max = p.bound;
      row.bar.value = Math.min(p.done, p.bound);
    }
    const counted = p.done === null ? "" : p.bound === null ? ` ${p.done}` : ` ${p.done} of ${p.bound}`;
    const unit = p.stage === "bisect" ? " steps (⌈log2 N⌉ bound)" : p.stage === "minimize" || p.stage === "shrink" ? " oracle runs" : "";
    row.progress.textContent = `${p.stage}${counted}${counted ? unit : ""}\n${p.message}` + (p.commit ? `\ncommit ${p.commit}` : "");
    row.progress.dataset.stage = p.stage;
    if (p.done !== null) row.progress.dataset.done = String(p.done);
    if (p.bound !== null) row.progress.dataset.bound = String(p.bound);
    if (p.commit) row.progress.dataset.commit = p.commit;
  }

  private async run(cellId: string): Promise<void> {
    const row = this.rows.get(cellId)!;
    row.run.disabled = true;
    row.cancel.disabled = false;
    row.result.textContent = "running…";
    try {
      const output = await call("POST /api/notebooks/{name}/cells/{id}/run", { name: this.notebook!, id: cellId });
      row.result.textContent = summaryOf(output);
      row.result.dataset.kind = output.kind;
      // the notebook shows the new output too: it reopens from the server's session
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (e) {
      row.result.textContent = `failed: ${(e as Error).message}`;
    } finally {
      row.run.disabled = false;
      row.cancel.disabled = true;
    }
  }
}

function summary(cell: CellView): string {
  return cell.output ? summaryOf(cell.output) : "not run";
}

function summaryOf(output: NonNullable<CellView["output"]>): string {
  switch (output.kind) {
    case "minimized":
      return `minimized ${output.originalSize} → ${output.rows.length} rows in ${output.oracleCalls} oracle runs`;
    case "bisected":
      return `first bad commit ${output.culprit.slice(0, 12)} in ${output.stepCount} steps: ${output.subject}`;
    case "patched":
      return `${output.strategy}: repro ${output.reproPasses ? "passes" : "fails"}, review ${output.reviewPassed ? "passed" : "failed"}` +
        (output.accepted ? `, accepted ${output.accepted.slice(0, 12)}` : "");
    case "error":
      return `${output.errorKind}: ${output.message}`;
    default:
      return output.kind;
  }
}

let panel: FixLoopPanel | null = null;
registerPanel({
  id: "fixloop",
  title: "Fix loop",
  order: 60,
  mount(root, context) {
    panel = new FixLoopPanel(root, context);
  },
  refresh() {
    void panel?.refresh();
  },
});
