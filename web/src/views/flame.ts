// The flame graph (or icicle) of a cell's result's stacks: frames from the store's stacks table,
// kernel, JVM and user frames in their own colours. Click a frame to zoom into it (click the root
// row to zoom out), type to highlight matching frames, pick another cell for the differential
// graph (red: a larger share than in the baseline, blue: smaller).
import { call } from "../api.js";
import { el } from "../dom.js";
import type * as Api from "../generated/api.js";
import { diffColor, frameColor } from "./colors.js";
import { download } from "./timeline.js";

const ROW = 18;

interface Box {
  node: Api.FlameNode;
  x: number;
  y: number;
  w: number;
  path: Api.FlameNode[];
}

export class FlameView {
  readonly root = el("div", { class: "flame", "data-testid": "flame" });
  private readonly canvas = el("canvas", { "data-testid": "flame-canvas" });
  private readonly status = el("div", { class: "muted", "data-testid": "flame-status" });
  private readonly hover = el("div", { class: "flame-hover", "data-testid": "flame-hover" });
  private readonly search = el("input", { type: "search", placeholder: "highlight frames…", "data-testid": "flame-search" });
  private readonly weight = el("select", { "data-testid": "flame-weight" }, el("option", { value: "events" }, "by events"), el("option", { value: "duration" }, "by time"));
  private readonly against = el("select", { "data-testid": "flame-against" }, el("option", { value: "" }, "no baseline"));
  private readonly icicle = el("input", { type: "checkbox", "data-testid": "flame-icicle" });
  private data: Api.FlameGraph | null = null;
  /** The frames from the root to the zoomed frame. */
  private zoomPath: Api.FlameNode[] = [];
  private boxes: Box[] = [];

  constructor(
    host: HTMLElement,
    private readonly notebook: string,
    private readonly cellId: string,
  ) {
    const exportButton = el("button", { type: "button", "data-testid": "flame-export" }, "Export folded");
    exportButton.addEventListener("click", () => void this.exportFolded());
    this.root.append(
      el("div", { class: "flame-toolbar" }, this.weight, "against", this.against, el("label", {}, this.icicle, " icicle"), this.search, exportButton, this.status),
      this.canvas,
      this.hover,
    );
    (this.root as unknown as { view: FlameView }).view = this;
    host.append(this.root);
    for (const input of [this.weight, this.against]) input.addEventListener("change", () => void this.fetch());
    this.icicle.addEventListener("change", () => this.draw());
    this.search.addEventListener("input", () => this.draw());
    this.canvas.addEventListener("click", (e) => this.click(e.offsetX, e.offsetY));
    this.canvas.addEventListener("mousemove", (e) => {
      const box = this.at(e.offsetX, e.offsetY);
      this.hover.textContent = box ? this.describe(box.node) : "";
    });
    void this.loadBaselines();
    void this.fetch();
  }

  dispose(): void {}

  /** The other SQL cells of the notebook that ran: candidates for the baseline. */
  private async loadBaselines(): Promise<void> {
    const view = await call("GET /api/notebooks/{name}", { name: this.notebook });
    for (const block of view.blocks) {
      const cell = block.cell;
      if (cell && cell.kind === "sql" && cell.id !== this.cellId && cell.output?.kind === "table" && cell.output.columns.includes("stack_id")) {
        this.against.append(el("option", { value: cell.id }, cell.id));
      }
    }
  }

  private async fetch(): Promise<void> {
    this.status.textContent = "loading…";
    try {
      const data = await call("GET /api/notebooks/{name}/flame", { name: this.notebook }, {
        query: { cell: this.cellId, weight: this.weight.value, against: this.against.value || null },
      });
      this.data = data;
      this.zoomPath = [data.root];
      this.root.dataset.total = String(data.total);
      this.root.dataset.baseline = String(data.baselineTotal);
      this.status.textContent =
        `${data.total.toLocaleString()} ${data.weight === "duration" ? "ns" : "events"} in ${data.stacks} stacks` +
        (data.withoutStack ? ` · ${data.withoutStack.toLocaleString()} events without a stack` : "") +
        (data.baselineTotal ? ` · baseline ${data.baselineTotal.toLocaleString()}` : "");
      this.draw();
    } catch (e) {
      this.status.textContent = `flame graph failed: ${(e as Error).message}`;
    }
  }

  private describe(node: Api.FlameNode): string {
    const data = this.data!;
    const share = (100 * node.value) / Math.max(1, data.total);
    let text = `${node.name} [${node.kind}] ${node.value.toLocaleString()} (${share.toFixed(2)}%)`;
    if (data.baselineTotal) {
      const before = (100 * node.baseline) / data.baselineTotal;
      text += ` · baseline ${before.toFixed(2)}% → ${share.toFixed(2)}%`;
    }
    return text;
  }

  /** Lays out and draws the zoomed subtree; ancestors of the zoomed frame span the full width. */
  draw(): void {
    const data = this.data;
    if (!data) return;
    const width = Math.max(300, this.root.clientWidth || 1000);
    const zoomed = this.zoomPath[this.zoomPath.length - 1];
    const boxes: Box[] = [];
    this.zoomPath.forEach((node, depth) => boxes.push({ node, x: 0, y: depth, w: width, path: this.zoomPath.slice(0, depth + 1) }));
    const diff = data.baselineTotal > 0;
    const weightOf = (n: Api.FlameNode) => (diff ? Math.max(n.value, (n.baseline * data.total) / data.baselineTotal) : n.value);
    const layout = (node: Api.FlameNode, x: number, w: number, depth: number, path: Api.FlameNode[]) => {
      const total = node.children.reduce((sum, c) => sum + weightOf(c), 0) || 1;
      const scale = Math.min(1, weightOf(node) > 0 ? total / weightOf(node) : 1);
      let cx = x;
      for (const child of node.children) {
        const cw = (w * scale * weightOf(child)) / total;
        if (cw >= 0.5) {
          const childPath = [...path, child];
          boxes.push({ node: child, x: cx, y: depth + 1, w: cw, path: childPath });
          layout(child, cx, cw, depth + 1, childPath);
        }
        cx += cw;
      }
    };
    layout(zoomed, 0, width, this.zoomPath.length - 1, this.zoomPath);
    this.boxes = boxes;
    const depth = boxes.reduce((m, b) => Math.max(m, b.y), 0) + 1;
    const height = depth * ROW;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = width * ratio;
    this.canvas.height = height * ratio;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const g = this.canvas.getContext("2d")!;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.font = "11px sans-serif";
    const term = this.search.value.trim().toLowerCase();
    let matched = 0;
    const icicle = this.icicle.checked;
    for (const b of boxes) {
      const y = icicle ? b.y * ROW : height - (b.y + 1) * ROW;
      const hit = term !== "" && b.node.name.toLowerCase().includes(term);
      if (hit && b.path.every((p, i) => i === b.path.length - 1 || !p.name.toLowerCase().includes(term))) matched += b.node.value;
      const share = b.node.value / Math.max(1, data.total);
      const before = data.baselineTotal ? b.node.baseline / data.baselineTotal : 0;
      g.fillStyle = hit ? "#e040fb" : diff ? diffColor(share - before) : frameColor(b.node.kind, b.node.name);
      g.fillRect(b.x, y, Math.max(0.5, b.w - 0.5), ROW - 1);
      if (b.w > 30) {
        g.fillStyle = "#111";
        g.fillText(b.node.name, b.x + 3, y + 12, b.w - 6);
      }
    }
    this.root.dataset.zoom = zoomed.name;
    this.root.dataset.boxes = String(boxes.length);
    this.root.dataset.matched = String(matched);
    if (term) this.status.dataset.matched = `${matched}`;
  }

  private at(x: number, y: number): Box | undefined {
    const height = this.canvas.clientHeight;
    const row = this.icicle.checked ? Math.floor(y / ROW) : Math.floor((height - y) / ROW);
    return this.boxes.find((b) => b.y === row && x >= b.x && x < b.x + b.w);
  }

  private click(x: number, y: number): void {
    const box = this.at(x, y);
    if (!box) return;
    this.zoomPath = box.path.length > 1 || this.zoomPath.length === 1 ? box.path : [this.data!.root];
    this.draw();
  }

  /** Zooms into the first frame called `name` (for tests and keyboard users). */
  zoomTo(name: string): boolean {
    const box = this.boxes.find((b) => b.node.name === name);
    if (!box) return false;
    this.zoomPath = box.path;
    this.draw();
    return true;
  }

  /** Where a frame is drawn, in canvas pixels, so a test can click it as a person would. */
  locate(name: string): { x: number; y: number } | null {
    const box = this.boxes.find((b) => b.node.name === name);
    if (!box) return null;
    const height = this.canvas.clientHeight;
    const y = this.icicle.checked ? box.y * ROW + ROW / 2 : height - (box.y + 1) * ROW + ROW / 2;
    return { x: box.x + box.w / 2, y };
  }

  private async exportFolded(): Promise<void> {
    const text = await call("GET /api/notebooks/{name}/flame.folded", { name: this.notebook }, { query: { cell: this.cellId, weight: this.weight.value } });
    download(`${this.cellId}.folded`, String(text), "text/plain");
  }
}
