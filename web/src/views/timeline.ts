// The event timeline of a cell's result (Perfetto-like): one row per track (thread, process,
// connection), calls as slices coloured by errno, per-pixel buckets where calls are too short to
// draw one by one, TCP and process events as instants; under a thread's kernel track, its JVM
// flight-recorder spans (GC pauses and safepoints on a track of the process) and exceptions thrown
// when the store holds a recording of the process. The server aggregates (GET .../timeline),
// so a million events in view arrive as a payload bounded by the canvas width; this view only
// draws. Zoom with the wheel or W/S, pan by dragging or A/D; click a slice for its row.
import { call } from "../api.js";
import { el, formatValue } from "../dom.js";
import type * as Api from "../generated/api.js";
import { errnoColor, jvmColor } from "./colors.js";

const ROW = 22;
const LABELS = 200;
const AXIS = 24;
/** How long the view waits after the last zoom or pan before asking the server for detail. */
const FETCH_DELAY_MS = 120;
/** Short JVM spans summed per bucket, in a muted purple (kernel calls' buckets are blue-grey). */
const JVM_BUCKET = "#b9a3d6";

export class TimelineView {
  readonly root = el("div", { class: "timeline", "data-testid": "timeline", tabindex: "0" });
  private readonly canvas = el("canvas", { "data-testid": "timeline-canvas" });
  private readonly status = el("div", { class: "timeline-status muted", "data-testid": "timeline-status" });
  private readonly details = el("div", { class: "timeline-details", "data-testid": "timeline-details" });
  /** The tracks as a list, the canvas's text alternative (read by screen readers and the browser test). */
  private readonly trackList = el("ol", { class: "timeline-tracks", "data-testid": "timeline-tracks", "aria-label": "timeline tracks" });
  private data: Api.Timeline | null = null;
  /** The window shown, in ns from the selection's origin (may run ahead of `data` while fetching). */
  private from = 0;
  private to = 1;
  private timer: number | undefined;
  private fetches = 0;
  private disposed = false;
  private drag: { x: number; from: number; to: number; moved: boolean } | null = null;
  /** Milliseconds the last frame took to draw (read by the browser test and the benchmark). */
  lastFrameMs = 0;
  frames = 0;

  constructor(
    host: HTMLElement,
    private readonly notebook: string,
    private readonly cellId: string,
  ) {
    const exportButton = el("button", { type: "button", "data-testid": "timeline-export" }, "Export Trace Event JSON");
    exportButton.addEventListener("click", () => void this.exportWindow());
    const reset = el("button", { type: "button", "data-testid": "timeline-reset" }, "Whole selection");
    reset.addEventListener("click", () => this.setWindow(0, this.data?.extentNs ?? 1));
    this.root.append(
      el("div", { class: "timeline-toolbar" }, reset, exportButton, el("span", { class: "muted" }, "wheel or W/S zoom · drag or A/D pan · click a slice"), this.status),
      this.canvas,
      this.trackList,
      this.details,
    );
    (this.root as unknown as { view: TimelineView }).view = this;
    host.append(this.root);
    this.bind();
    void this.fetch(null, null);
    this.root.focus();
  }

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.timer);
    window.removeEventListener("resize", this.onResize);
  }

  private readonly onResize = () => this.draw();

  /** The drawing width, read from the page once per frame (a layout read per rectangle cost more than the drawing). */
  private drawWidth = 0;

  private width(): number {
    return this.drawWidth || this.measureWidth();
  }

  private measureWidth(): number {
    return Math.max(200, (this.root.clientWidth || 1000) - LABELS);
  }

  private async fetch(from: number | null, to: number | null): Promise<void> {
    const n = ++this.fetches;
    this.status.textContent = "loading…";
    const query: Record<string, number | string> = { cell: this.cellId, width: Math.min(4000, Math.round(this.width())) };
    if (from !== null && to !== null) {
      query.from = Math.floor(from);
      query.to = Math.ceil(to);
    }
    try {
      const data = await call("GET /api/notebooks/{name}/timeline", { name: this.notebook }, { query });
      if (n !== this.fetches || this.disposed) return; // a newer window was asked for meanwhile
      this.data = data;
      if (from === null) {
        this.from = data.fromNs;
        this.to = data.toNs;
      }
      this.root.dataset.events = String(data.events);
      this.root.dataset.slices = String(data.slices.length);
      this.root.dataset.buckets = String(data.buckets.length);
      this.root.dataset.tracks = String(data.tracks.length);
      this.root.dataset.jvmEvents = String(data.jvmEvents);
      this.root.dataset.from = String(data.fromNs);
      this.root.dataset.to = String(data.toNs);
      this.root.dataset.loaded = String(n);
      this.status.textContent =
        `${data.events.toLocaleString()} events in view` +
        (data.jvmEvents ? ` (${data.jvmEvents.toLocaleString()} from the JVM)` : "") +
        ` · ${data.tracks.length} tracks` +
        (data.hiddenTracks ? ` (+${data.hiddenTracks} hidden)` : "") +
        ` · ${data.slices.length} slices, ${data.buckets.length} buckets of ${formatNs(data.bucketNs)}`;
      this.listTracks(data);
      this.draw();
    } catch (e) {
      if (n === this.fetches) this.status.textContent = `timeline failed: ${(e as Error).message}`;
    }
  }

  /** Shows [from, to) now (scaling what is loaded) and fetches its detail shortly after. */
  setWindow(from: number, to: number): void {
    const extent = this.data?.extentNs ?? to;
    const span = Math.max(1000, to - from); // 1 µs: closer than that nothing separates
    from = Math.max(-span * 0.05, Math.min(from, extent));
    this.from = from;
    this.to = from + span;
    this.draw();
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.fetch(this.from, this.to), FETCH_DELAY_MS);
  }

  zoom(factor: number, atFraction = 0.5): void {
    const span = this.to - this.from;
    const at = this.from + span * atFraction;
    const next = span * factor;
    this.setWindow(at - next * atFraction, at - next * atFraction + next);
  }

  pan(fraction: number): void {
    const span = this.to - this.from;
    this.setWindow(this.from + span * fraction, this.to + span * fraction);
  }

  private bind(): void {
    window.addEventListener("resize", this.onResize);
    this.root.addEventListener("keydown", (e) => {
      const key = e.key.toLowerCase();
      if (key === "w") this.zoom(0.8);
      else if (key === "s") this.zoom(1.25);
      else if (key === "a") this.pan(-0.15);
      else if (key === "d") this.pan(0.15);
      else return;
      e.preventDefault();
    });
    this.canvas.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const x = e.offsetX - LABELS;
        this.zoom(e.deltaY > 0 ? 1.25 : 0.8, Math.max(0, Math.min(1, x / this.width())));
      },
      { passive: false },
    );
    this.canvas.addEventListener("mousedown", (e) => {
      this.drag = { x: e.clientX, from: this.from, to: this.to, moved: false };
    });
    window.addEventListener("mousemove", (e) => {
      if (!this.drag) return;
      const dx = e.clientX - this.drag.x;
      if (Math.abs(dx) > 2) this.drag.moved = true;
      const ns = (dx / this.width()) * (this.drag.to - this.drag.from);
      if (this.drag.moved) this.setWindow(this.drag.from - ns, this.drag.to - ns);
    });
    window.addEventListener("mouseup", (e) => {
      const drag = this.drag;
      this.drag = null;
      if (drag && !drag.moved && e.target === this.canvas) void this.click(e.offsetX, e.offsetY);
    });
  }

  /** One item per track in drawing order: kind, id, the kernel track a JVM track sits under, what is on it. */
  private listTracks(data: Api.Timeline): void {
    const slices = new Map<number, number>();
    const instants = new Map<number, number>();
    for (const s of data.slices) slices.set(s.track, (slices.get(s.track) ?? 0) + 1);
    for (const i of data.instants) instants.set(i.track, (instants.get(i.track) ?? 0) + i.count);
    this.trackList.replaceChildren(
      ...data.tracks.map((track, i) =>
        el(
          "li",
          {
            "data-testid": "timeline-track",
            "data-index": String(i),
            "data-kind": track.kind,
            "data-id": track.id,
            "data-process": track.process,
            "data-parent": String(track.parent),
            "data-slices": String(slices.get(i) ?? 0),
            "data-instants": String(instants.get(i) ?? 0),
          },
          `${track.label}: ${track.events.toLocaleString()} events`,
        ),
      ),
    );
  }

  /** Where the first slice called `name` is drawn, in canvas pixels (for tests and the benchmark). */
  locateSlice(name: string): { x: number; y: number; track: number } | null {
    const s = this.data?.slices.find((c) => c.name === name);
    if (!s) return null;
    const x0 = Math.max(LABELS, this.x(s.startNs));
    const x1 = Math.min(this.width() + LABELS, this.x(s.startNs + s.durationNs));
    return { x: (x0 + x1) / 2, y: AXIS + s.track * ROW + ROW / 2, track: s.track };
  }

  private x(ns: number): number {
    return LABELS + ((ns - this.from) / (this.to - this.from)) * this.width();
  }


  /** Draws what is loaded for the current window; returns how long it took. */
  draw(): number {
    const start = performance.now();
    const data = this.data;
    this.drawWidth = this.measureWidth();
    const width = this.drawWidth + LABELS;
    const height = AXIS + ROW * Math.max(1, data?.tracks.length ?? 1) + 8;
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== width * ratio || this.canvas.height !== height * ratio) {
      this.canvas.width = width * ratio;
      this.canvas.height = height * ratio;
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const g = this.canvas.getContext("2d")!;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = "11px sans-serif";
    this.axis(g, width);
    if (data) {
      data.tracks.forEach((track, i) => {
        const y = AXIS + i * ROW;
        const jvm = track.kind === "jvm";
        g.fillStyle = jvm ? "#f6f1fb" : i % 2 ? "#f7f7f9" : "#ffffff";
        g.fillRect(0, y, width, ROW);
        g.fillStyle = jvm ? "#5b3f86" : "#333";
        // a JVM track under its thread's kernel track is indented, so the pair reads as one thread
        g.fillText(jvm && track.parent >= 0 ? `↳ ${track.label.slice(0, 28)}` : track.label.slice(0, 30), 4, y + 15);
      });
      const jvmTrack = data.tracks.map((t) => t.kind === "jvm");
      g.save();
      g.beginPath();
      g.rect(LABELS, AXIS, width - LABELS, height - AXIS);
      g.clip();
      // One path per colour, filled once: a canvas pays per fill-style change, not per rectangle
      // (8,700 buckets drawn one fill each took 75 ms a frame in headless Chromium).
      const paths = new Map<string, Path2D>();
      const path = (color: string) => {
        let p = paths.get(color);
        if (!p) paths.set(color, (p = new Path2D()));
        return p;
      };
      const calm = errnoColor(0, null);
      for (const b of data.buckets) {
        const x0 = this.x(b.startNs);
        const x1 = this.x(b.endNs);
        if (x1 < LABELS || x0 > width) continue;
        const y = AXIS + b.track * ROW;
        // height: how busy the bucket was; a strip on top in the colour of its most frequent
        // error, as tall as the share of calls that failed (at least 2 px, so one shows)
        const busy = Math.min(1, b.busyNs / Math.max(1, b.endNs - b.startNs));
        const h = Math.max(3, (ROW - 6) * Math.max(busy, 0.15));
        const w = Math.max(1, x1 - x0);
        path(jvmTrack[b.track] ? JVM_BUCKET : calm).rect(x0, y + ROW - 3 - h, w, h);
        if (b.errors) {
          const e = Math.max(2, h * (b.errors / b.count));
          path(errnoColor(1, b.errnoName)).rect(x0, y + ROW - 3 - h, w, e);
        }
      }
      for (const [color, p] of paths) {
        g.fillStyle = color;
        g.fill(p);
      }
      for (const s of data.slices) {
        const x0 = this.x(s.startNs);
        const x1 = this.x(s.startNs + s.durationNs);
        if (x1 < LABELS || x0 > width) continue;
        const y = AXIS + s.track * ROW;
        g.fillStyle = jvmTrack[s.track] ? jvmColor(s.name) : errnoColor(s.errno, s.errnoName);
        g.fillRect(x0, y + 3, Math.max(1, x1 - x0), ROW - 6);
        if (x1 - x0 > 40) {
          g.fillStyle = "#fff";
          g.fillText(s.name + (s.errnoName ? ` ${s.errnoName}` : ""), Math.max(x0, LABELS) + 3, y + 15, x1 - Math.max(x0, LABELS) - 6);
        }
      }
      for (const inst of data.instants) {
        const x = this.x(inst.atNs);
        if (x < LABELS || x > width) continue;
        const y = AXIS + inst.track * ROW + ROW / 2;
        g.fillStyle = jvmTrack[inst.track] ? jvmColor(inst.name) : inst.name === "tcp_retransmit" ? "#d62728" : inst.name.startsWith("tcp_reset") ? "#9467bd" : "#222";
        g.beginPath();
        g.moveTo(x, y - 6);
        g.lineTo(x + 5, y);
        g.lineTo(x, y + 6);
        g.lineTo(x - 5, y);
        g.fill();
      }
      g.restore();
    }
    this.lastFrameMs = performance.now() - start;
    this.frames++;
    this.root.dataset.frameMs = this.lastFrameMs.toFixed(2);
    this.root.dataset.frames = String(this.frames);
    return this.lastFrameMs;
  }

  private axis(g: CanvasRenderingContext2D, width: number): void {
    g.fillStyle = "#555";
    g.strokeStyle = "#ccc";
    const span = this.to - this.from;
    for (let i = 0; i <= 5; i++) {
      const ns = this.from + (span * i) / 5;
      const x = this.x(ns);
      g.beginPath();
      g.moveTo(x, AXIS - 6);
      g.lineTo(x, AXIS);
      g.stroke();
      g.fillText(formatNs(ns), Math.min(x + 2, width - 60), 12);
    }
  }

  /** The slice or instant under a click, then its row of the cell's result. */
  private async click(offsetX: number, offsetY: number): Promise<void> {
    const data = this.data;
    if (!data || offsetX < LABELS) return;
    const track = Math.floor((offsetY - AXIS) / ROW);
    const ns = this.from + ((offsetX - LABELS) / this.width()) * (this.to - this.from);
    const tolerance = (3 / this.width()) * (this.to - this.from);
    const slice = data.slices.find((s) => s.track === track && ns >= s.startNs - tolerance && ns <= s.startNs + s.durationNs + tolerance);
    const instant = slice ? undefined : data.instants.find((i) => i.track === track && Math.abs(i.atNs - ns) <= tolerance * 2);
    const picked = slice ?? instant;
    if (!picked) return;
    const title = slice
      ? `${slice.name}${slice.errnoName ? ` ${slice.errnoName}` : ""}: ${formatNs(slice.durationNs)} at ${formatNs(slice.startNs)}`
      : `${instant!.name}${instant!.detail ? ` ${instant!.detail}` : ""} at ${formatNs(instant!.atNs)}` + (instant!.count > 1 ? ` (${instant!.count} events)` : "");
    this.details.replaceChildren(el("div", { "data-testid": "timeline-picked" }, title));
    if (picked.row < 0) return;
    const page = await call("GET /api/notebooks/{name}/cells/{id}/rows", { name: this.notebook, id: this.cellId }, { query: { offset: picked.row, limit: 1 } });
    const row = page.rows[0] ?? [];
    this.details.append(
      el("table", { class: "data", "data-testid": "timeline-row" }, el("tbody", {}, ...page.columns.map((c, i) => el("tr", {}, el("th", {}, c), el("td", {}, formatValue(row[i])))))),
    );
  }

  private async exportWindow(): Promise<void> {
    const text = await call("GET /api/notebooks/{name}/timeline.json", { name: this.notebook }, { query: { cell: this.cellId, from: Math.floor(this.from), to: Math.ceil(this.to) } });
    download(`${this.cellId}.trace.json`, typeof text === "string" ? text : JSON.stringify(text), "application/json");
  }
}

export function download(name: string, text: string, type: string): void {
  const link = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

export function formatNs(ns: number): string {
  const a = Math.abs(ns);
  if (a >= 1e9) return `${(ns / 1e9).toFixed(a >= 1e10 ? 1 : 3)} s`;
  if (a >= 1e6) return `${(ns / 1e6).toFixed(a >= 1e7 ? 1 : 3)} ms`;
  if (a >= 1e3) return `${(ns / 1e3).toFixed(a >= 1e4 ? 1 : 3)} µs`;
  return `${Math.round(ns)} ns`;
}
