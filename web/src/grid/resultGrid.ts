// The result grid: a virtualized view over a result the server keeps, of any size. Only the rows
// in view exist in the DOM (rowsInView: every row is ROW_PX high, so which rows are in view is
// a division), their pages are fetched on
// demand (PageCache), a header click sorts on the server, a column's summary is computed there on
// demand, a drag or Shift-click selects cells that Ctrl/Cmd-C copies, and the whole result
// downloads as CSV or Parquet.
//
// Browsers cap an element's height (about 33M px in Chromium), and 10M rows of 24 px are 240M px,
// so past a bound the scroll range is scaled: rows are placed in unscaled row coordinates and the
// scroll position is mapped onto them.
//
// No virtualizer library: @tanstack/virtual-core, used here before, measures every row up front
// (an object per row: 686 ms and 10M objects for a 10M-row result, most of the time from a
// finished query to its first page painted), which rows of one fixed height do not need.
import { call, describe, url } from "../api.js";
import { el, formatValue } from "../dom.js";
import type { ColumnSummary, ResultPage, Value } from "../types.js";
import { PageCache } from "./pageCache.js";

export const ROW_PX = 24;
const MAX_SCROLL_PX = 8_000_000;
const VIEW_ROWS = 15;
/** Rows drawn beyond each edge of the view, so a small scroll shows rows already there. */
const OVERSCAN = 8;

export interface GridSource {
  notebook: string;
  cellId: string;
  columns: string[];
  totalRows: number;
  firstRows: Value[][];
  /** False for outputs the server does not keep (then only firstRows exist). */
  paged: boolean;
}

interface Cell {
  row: number;
  col: number;
}

export class ResultGrid {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsBox: HTMLElement;
  private readonly header: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly popover: HTMLElement;
  private readonly cache: PageCache;
  private readonly widths: number[];
  private readonly numberWidth: number;
  private sort: string | null = null;
  private desc = false;
  private anchor: Cell | null = null;
  private focus: Cell | null = null;
  private cleanup: () => void = () => {};

  constructor(private readonly source: GridSource) {
    this.widths = source.columns.map((c, i) => columnWidth(c, source.firstRows.map((r) => r[i])));
    // Wide enough for the last row's number, whatever the first rows were.
    this.numberWidth = Math.max(48, source.totalRows.toLocaleString("en-US").length * 8 + 20);
    this.cache = new PageCache(
      this.fetcher(),
      () => this.render(),
      (error) => this.note(describe(error, "Reading rows failed")),
    );
    this.cache.seed(0, source.firstRows);
    this.meta = el("div", { class: "output-meta", "data-testid": "row-count" });
    this.header = el("div", { class: "grid-header", role: "row" });
    this.rowsBox = el("div", { class: "grid-rows" });
    this.spacer = el("div", { class: "grid-spacer" }, this.rowsBox);
    this.body = el("div", { class: "grid-body", tabindex: "0", "data-testid": "grid-body", role: "grid", "aria-rowcount": String(source.totalRows) }, this.header, this.spacer);
    this.popover = el("div", { class: "grid-popover", "data-testid": "column-summary", hidden: true });
    this.root = el("div", { class: "output output-table grid", "data-testid": "output-table" }, this.toolbar(), this.body, this.popover);
    const contentHeight = Math.min(source.totalRows, VIEW_ROWS) * ROW_PX;
    this.body.style.height = `${contentHeight + ROW_PX + 18}px`; // rows + header + a scrollbar
    this.spacer.style.height = `${Math.min(source.totalRows * ROW_PX, MAX_SCROLL_PX)}px`;
    this.spacer.style.width = `${this.widths.reduce((a, b) => a + b, this.numberWidth)}px`;
    this.renderHeader();

    this.bindSelection();
  }

  /** Starts following scrolls and size changes once the grid is in the document. */
  attach(): void {
    const onScroll = () => this.render();
    this.body.addEventListener("scroll", onScroll, { passive: true });
    const resized = new ResizeObserver(() => this.render());
    resized.observe(this.body);
    this.cleanup = () => {
      this.body.removeEventListener("scroll", onScroll);
      resized.disconnect();
    };
    this.render();
  }

  detach(): void {
    this.cleanup();
  }

  /** Pages fetched from the server so far. */
  get pagesFetched(): number {
    return this.cache.fetched;
  }

  private fetcher() {
    const sort = this.sort;
    const desc = this.desc;
    return (offset: number, limit: number): Promise<ResultPage> =>
      call("GET /api/notebooks/{name}/cells/{id}/rows", { name: this.source.notebook, id: this.source.cellId }, {
        query: { offset, limit, sort, desc: sort === null ? null : desc },
      });
  }

  /** Virtual (unscaled) pixels per scrolled pixel: 1 until the result outgrows MAX_SCROLL_PX. */
  private scale(): number {
    const total = this.source.totalRows * ROW_PX;
    if (total <= MAX_SCROLL_PX) return 1;
    const view = Math.max(1, this.body.clientHeight - ROW_PX);
    return (total - view) / (MAX_SCROLL_PX - view);
  }

  private toolbar(): HTMLElement {
    const actions: HTMLElement[] = [];
    if (this.source.paged) {
      const query = () => ({ sort: this.sort, desc: this.sort === null ? null : this.desc });
      const ids = () => ({ name: this.source.notebook, id: this.source.cellId });
      // Plain links, so the browser streams the file to disk (a 10M-row result never sits in the
      // page); the session cookie set by the ?token= visit authorizes them.
      const csv = el("button", { type: "button", class: "small", "data-testid": "download-csv", title: "Download the whole result (sorted as shown) as CSV" }, "CSV");
      csv.addEventListener("click", () => {
        el("a", { href: url("GET /api/notebooks/{name}/cells/{id}/rows.csv", ids(), query()), download: `${this.source.cellId}.csv` }).click();
      });
      const parquet = el("button", { type: "button", class: "small", "data-testid": "download-parquet", title: "Download the whole result (sorted as shown, with its column types) as Parquet" }, "Parquet");
      parquet.addEventListener("click", () => {
        el("a", { href: url("GET /api/notebooks/{name}/cells/{id}/rows.parquet", ids(), query()), download: `${this.source.cellId}.parquet` }).click();
      });
      actions.push(csv, parquet);
    }
    const copy = el("button", { type: "button", class: "small", "data-testid": "copy-cells", title: "Copy the selected cells (Ctrl/Cmd-C)" }, "Copy");
    copy.addEventListener("click", () => void this.copySelection());
    actions.push(copy);
    return el("div", { class: "grid-toolbar" }, this.meta, el("span", { class: "spacer" }), ...actions);
  }

  private renderHeader(): void {
    const cells = this.source.columns.map((column, i) => {
      const mark = this.sort === column ? (this.desc ? " ▼" : " ▲") : "";
      const label = el("span", { class: "grid-col-name", "data-testid": "sort-column", title: this.source.paged ? "Sort the whole result by this column (on the server)" : "" }, column + mark);
      if (this.source.paged) label.addEventListener("click", () => this.sortBy(column));
      const info = this.source.paged
        ? el("button", { type: "button", class: "grid-col-info", "data-testid": "summarize-column", title: "Column summary: type, min, max, nulls, distinct" }, "Σ")
        : null;
      info?.addEventListener("click", (e) => {
        e.stopPropagation();
        void this.summarize(column, info);
      });
      return el("div", { class: "grid-cell grid-head-cell", role: "columnheader", style: `width:${this.widths[i]}px` }, label, info);
    });
    this.header.replaceChildren(el("div", { class: "grid-row-num", style: `width:${this.numberWidth}px` }, "#"), ...cells);
    this.updateMeta();
  }

  private updateMeta(): void {
    const n = this.source.totalRows;
    const sorted = this.sort === null ? "" : ` (sorted by ${this.sort}${this.desc ? " descending" : ""})`;
    this.meta.textContent = `${n.toLocaleString("en-US")} row${n === 1 ? "" : "s"}${sorted}`;
  }

  private sortBy(column: string): void {
    this.desc = this.sort === column ? !this.desc : false;
    this.sort = column;
    this.cache.reset(this.fetcher());
    this.body.scrollTop = 0;
    this.renderHeader();
    this.render();
  }

  private async summarize(column: string, anchor: HTMLElement): Promise<void> {
    this.popover.hidden = false;
    this.popover.replaceChildren(el("span", { class: "muted" }, `Summarizing ${column}…`));
    this.popover.style.left = `${anchor.offsetLeft}px`;
    try {
      const s: ColumnSummary = await call("GET /api/notebooks/{name}/cells/{id}/summary", { name: this.source.notebook, id: this.source.cellId }, { query: { column } });
      const close = el("button", { type: "button", class: "small", "aria-label": "close" }, "×");
      close.addEventListener("click", () => (this.popover.hidden = true));
      this.popover.replaceChildren(
        el("div", { class: "popover-head" }, el("strong", {}, s.column), el("span", { class: "muted" }, ` ${s.type}`), close),
        el(
          "dl",
          {},
          ...summaryRow("rows", s.rows.toLocaleString("en-US")),
          ...summaryRow("min", s.min ?? "—"),
          ...summaryRow("max", s.max ?? "—"),
          ...summaryRow("nulls", s.nulls.toLocaleString("en-US")),
          ...summaryRow("distinct ≈", s.distinctApprox.toLocaleString("en-US")),
        ),
      );
    } catch (error) {
      this.popover.replaceChildren(describe(error, `Summarizing ${column} failed`));
    }
  }

  /** The rows in view (with OVERSCAN on each side) at the body's scroll position and size. */
  private rowsInView(): { first: number; last: number; offset: number } | null {
    const total = this.source.totalRows;
    const height = this.body.clientHeight;
    if (total === 0 || height === 0) return null;
    const offset = this.body.scrollTop * this.scale(); // in unscaled pixels
    const first = Math.max(0, Math.floor(offset / ROW_PX) - OVERSCAN);
    const last = Math.min(total - 1, Math.ceil((offset + height) / ROW_PX) + OVERSCAN);
    return first <= last ? { first, last, offset } : null;
  }

  /** Draws the rows in view from the cache and asks for the pages missing. */
  private render(): void {
    const view = this.rowsInView();
    if (view === null) {
      this.rowsBox.replaceChildren();
      return;
    }
    const { offset } = view;
    const items: { index: number; start: number }[] = [];
    for (let index = view.first; index <= view.last; index++) items.push({ index, start: index * ROW_PX });
    const top = this.body.scrollTop;
    const rows = items.map((item) => {
      const values = this.cache.row(item.index);
      const row = el("div", {
        class: "grid-row" + (values ? "" : " loading"),
        role: "row",
        "data-testid": "grid-row",
        "data-row": String(item.index),
        style: `top:${top + item.start - offset}px`,
      });
      row.append(el("div", { class: "grid-row-num", style: `width:${this.numberWidth}px` }, (item.index + 1).toLocaleString("en-US")));
      this.source.columns.forEach((_c, col) => {
        const v = values?.[col];
        const selected = this.isSelected(item.index, col);
        row.append(
          el(
            "div",
            {
              class: "grid-cell" + (v === null ? " null" : typeof v === "number" ? " num" : "") + (selected ? " selected" : ""),
              role: "gridcell",
              "data-testid": "grid-cell",
              "data-col": String(col),
              style: `width:${this.widths[col]}px`,
            },
            values ? formatValue(v ?? null) : "…",
          ),
        );
      });
      return row;
    });
    this.rowsBox.replaceChildren(...rows);
    if (this.source.paged) this.cache.want(items[0].index, items[items.length - 1].index);
    this.root.dataset.firstRow = String(items[0].index);
    this.root.dataset.pagesFetched = String(this.cache.fetched);
  }

  private isSelected(row: number, col: number): boolean {
    if (!this.anchor || !this.focus) return false;
    const [r0, r1] = [Math.min(this.anchor.row, this.focus.row), Math.max(this.anchor.row, this.focus.row)];
    const [c0, c1] = [Math.min(this.anchor.col, this.focus.col), Math.max(this.anchor.col, this.focus.col)];
    return row >= r0 && row <= r1 && col >= c0 && col <= c1;
  }

  private bindSelection(): void {
    const cellAt = (target: EventTarget | null): Cell | null => {
      const cell = (target as HTMLElement | null)?.closest<HTMLElement>("[data-testid=grid-cell]");
      const row = cell?.closest<HTMLElement>("[data-row]");
      return cell && row ? { row: Number(row.dataset.row), col: Number(cell.dataset.col) } : null;
    };
    let dragging = false;
    this.rowsBox.addEventListener("mousedown", (e) => {
      const at = cellAt(e.target);
      if (!at) return;
      if (!e.shiftKey || !this.anchor) this.anchor = at;
      this.focus = at;
      dragging = true;
      this.body.focus({ preventScroll: true });
      this.render();
    });
    this.rowsBox.addEventListener("mouseover", (e) => {
      if (!dragging) return;
      const at = cellAt(e.target);
      if (at) {
        this.focus = at;
        this.render();
      }
    });
    window.addEventListener("mouseup", () => (dragging = false));
    this.body.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "c") {
        e.preventDefault();
        void this.copySelection();
      }
    });
  }

  /** The selected cells as tab-separated text (at most 10,000 rows, fetched if not in view). */
  async copySelection(): Promise<string> {
    if (!this.anchor || !this.focus) return "";
    const r0 = Math.min(this.anchor.row, this.focus.row);
    const r1 = Math.min(Math.max(this.anchor.row, this.focus.row), r0 + 9_999);
    const c0 = Math.min(this.anchor.col, this.focus.col);
    const c1 = Math.max(this.anchor.col, this.focus.col);
    const lines: string[] = [];
    for (let r = r0; r <= r1; ) {
      let values = this.cache.row(r);
      let block: Value[][] = values ? [values] : [];
      if (!values && this.source.paged) block = (await this.fetcher()(r, Math.min(1000, r1 - r + 1))).rows;
      if (block.length === 0) break;
      for (values of block) {
        lines.push(values.slice(c0, c1 + 1).map((v) => formatValue(v).replace(/[\t\n]/g, " ")).join("\t"));
        r++;
      }
    }
    const text = lines.join("\n");
    this.root.dataset.copied = String(lines.length);
    try {
      await navigator.clipboard.writeText(text);
      this.note(`Copied ${lines.length.toLocaleString("en-US")} row${lines.length === 1 ? "" : "s"}.`);
    } catch {
      this.note("The browser refused the clipboard; select and copy again.");
    }
    return text;
  }

  private note(message: string): void {
    this.meta.dataset.note = message;
    this.meta.title = message;
    this.updateMeta();
    this.meta.append(el("span", { class: "grid-note", "data-testid": "grid-note" }, ` · ${message}`));
  }
}

function summaryRow(term: string, value: string): HTMLElement[] {
  return [el("dt", {}, term), el("dd", {}, value)];
}

/** A column's width from its name and first values: wide enough to read, never a whole page. */
function columnWidth(name: string, values: Value[]): number {
  // A numeric column's first values are often its smallest (0, 1, 2...): leave room for more digits.
  const numeric = values.length > 0 && values.every((v) => typeof v === "number" || v === null);
  const longest = Math.max(name.length + 3, numeric ? 10 : 0, ...values.slice(0, 50).map((v) => formatValue(v ?? null).length));
  return Math.max(64, Math.min(360, longest * 7.5 + 20));
}
