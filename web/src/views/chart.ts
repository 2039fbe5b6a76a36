// Charts of SQL cells. The chart a cell draws is kept in its fence (chart=line x=.. y=..) and the
// server sends its data with the table output (drawn from the whole kept result); this module
// draws it with uPlot above the result grid, and offers a picker that sets it through
// PUT .../chart (the file changes by that one fence line).
import uPlot from "uplot";
import { call } from "../api.js";
import { el } from "../dom.js";
import type * as Api from "../generated/api.js";
import { renderOutput } from "../outputs/outputs.js";
import { registerOutputRenderer, type OutputContext } from "../shell/registry.js";
import type { CellOutput, TableOutput } from "../types.js";
import { openTraceView } from "./traceDialog.js";

const TYPES = ["none", "line", "area", "bar", "histogram", "scatter"] as const;
export const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1"];

registerOutputRenderer("table", (output: CellOutput, context: OutputContext) => {
  if (output.kind !== "table" || context.cell.kind !== "sql") return null;
  return new ChartedTable(output, context).root;
});

/** A SQL cell's table with its chart (if any), the chart picker and the trace view buttons. */
class ChartedTable {
  readonly root = el("div", { class: "charted-table" });
  private readonly chartBox = el("div", { class: "chart-box", "data-testid": "chart" });
  private plot: uPlot | null = null;

  constructor(
    private output: TableOutput,
    private readonly context: OutputContext,
  ) {
    this.root.append(this.toolbar(), this.chartBox, renderOutput(output, { notebook: context.notebook, cellId: context.cell.id, paged: true }));
    this.draw(output.chart);
  }

  private toolbar(): HTMLElement {
    const columns = this.output.columns;
    const chart = this.output.chart;
    const type = el("select", { "data-testid": "chart-type", "aria-label": "chart type" }, ...TYPES.map((t) => el("option", { value: t }, t)));
    type.value = chart?.type ?? "none";
    const x = el("select", { "data-testid": "chart-x", "aria-label": "x column" }, ...columns.map((c) => el("option", { value: c }, c)));
    x.value = chart?.x ?? columns[0] ?? "";
    const y = el("select", { "data-testid": "chart-y", "aria-label": "y columns", multiple: true, size: "1" }, ...columns.map((c) => el("option", { value: c }, c)));
    for (const option of Array.from(y.options)) option.selected = chart ? chart.y.includes(option.value) : option.value === columns[1];
    const apply = el("button", { type: "button", "data-testid": "chart-apply" }, "Draw");
    apply.addEventListener("click", () => void this.apply(type.value, x.value, Array.from(y.selectedOptions).map((o) => o.value)));
    const bar = el("div", { class: "chart-toolbar" }, el("span", { class: "muted" }, "Chart"), type, "x", x, "y", y, apply);
    if (columns.includes("time")) {
      const timeline = el("button", { type: "button", "data-testid": "open-timeline" }, "Timeline");
      timeline.addEventListener("click", () => openTraceView(this.context.notebook, this.context.cell.id, "timeline"));
      bar.append(timeline);
    }
    if (columns.includes("stack_id")) {
      const flame = el("button", { type: "button", "data-testid": "open-flame" }, "Flame graph");
      flame.addEventListener("click", () => openTraceView(this.context.notebook, this.context.cell.id, "flame"));
      bar.append(flame);
    }
    return bar;
  }

  private async apply(type: string, x: string, y: string[]): Promise<void> {
    const view = await call("PUT /api/notebooks/{name}/cells/{id}/chart", { name: this.context.notebook, id: this.context.cell.id }, { body: { type, x, y } });
    for (const block of view.blocks) {
      const cell = block.cell;
      if (cell && cell.id === this.context.cell.id && cell.output?.kind === "table") {
        this.output = cell.output;
        this.draw(cell.output.chart);
      }
    }
  }

  private draw(chart: Api.Chart | null): void {
    this.plot?.destroy();
    this.plot = null;
    this.chartBox.replaceChildren();
    this.chartBox.hidden = chart === null;
    if (!chart) return;
    this.chartBox.dataset.chartType = chart.type;
    if (chart.note) this.chartBox.append(el("div", { class: "chart-note muted", "data-testid": "chart-note" }, chart.note));
    if (!chart.xs.length) return;
    const canvasBox = el("div", { class: "chart-canvas" });
    this.chartBox.append(canvasBox);
    // uPlot sizes to the box; draw once it is in the page.
    requestAnimationFrame(() => {
      const width = Math.max(320, Math.min(900, (this.root.clientWidth || 700) - 8));
      this.plot = drawChart(chart, canvasBox, width, 240);
    });
  }
}

/** Short tick labels (3 significant digits, k/M/G), as the report's SVG writes them. */
function compact(v: number): string {
  const a = Math.abs(v);
  for (const [div, suffix] of [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]] as const) {
    if (a >= div) return `${+(v / div).toPrecision(3)}${suffix}`;
  }
  return `${+v.toPrecision(3)}`;
}

/** Draws a chart with uPlot: the same data the report's SVG is drawn from. */
export function drawChart(chart: Api.Chart, box: HTMLElement, width: number, height: number): uPlot {
  const banded = chart.type === "bar" || chart.type === "histogram";
  const categories = banded || chart.xKind === "category";
  const xs = categories ? chart.xs.map((_, i) => i) : chart.xKind === "time" ? chart.xs.map((v) => v / 1000) : chart.xs;
  const bars = uPlot.paths.bars!({ size: [chart.type === "histogram" ? 1 : 0.8, Infinity] });
  const series: uPlot.Series[] = [
    {},
    ...chart.y.map((name, i) => {
      const color = PALETTE[i % PALETTE.length];
      const s: uPlot.Series = { label: name, stroke: color, width: 1.5 };
      if (chart.type === "area") s.fill = color + "4d";
      if (banded) {
        s.paths = bars;
        s.fill = color;
        s.points = { show: false };
      }
      if (chart.type === "scatter") {
        s.paths = () => null;
        s.points = { show: true, size: 4, fill: color };
      }
      return s;
    }),
  ];
  const label = (i: number) => chart.labels[Math.round(i)] ?? "";
  const opts: uPlot.Options = {
    width,
    height,
    title: chart.type === "histogram" ? `histogram of ${chart.x} (log buckets)` : `${chart.y.join(", ")} by ${chart.x}`,
    scales: { x: { time: chart.xKind === "time" && !categories, range: categories ? [-0.5, xs.length - 0.5] : undefined } },
    axes: [
      categories
        ? { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? label(t) : "")), label: chart.x }
        : { label: chart.x },
      { size: 70, values: (_u, ticks) => ticks.map(compact) },
    ],
    series,
  };
  const data = [xs, ...chart.series] as uPlot.AlignedData;
  return new uPlot(opts, data, box);
}
