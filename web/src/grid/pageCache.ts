// The rows of one server-kept result, fetched a page at a time as the grid shows them: only the
// pages in view are asked for, at most two requests fly at once, and the least recently used
// pages are dropped past a bound, so a 10M-row result costs the page a few thousand rows.
import type { ResultPage, Value } from "../types.js";

export type PageFetcher = (offset: number, limit: number) => Promise<ResultPage>;

export const PAGE_ROWS = 500;
const MAX_PAGES = 60;
const MAX_IN_FLIGHT = 2;

export class PageCache {
  private readonly pages = new Map<number, Value[][]>(); // insertion order = recency
  private readonly inFlight = new Set<number>();
  private wanted: number[] = [];
  private generation = 0;
  /** Pages fetched from the server so far (a test and the benchmark read it). */
  fetched = 0;

  constructor(
    private fetcher: PageFetcher,
    private readonly changed: () => void,
    private readonly failed: (error: unknown) => void,
  ) {}

  /** Seeds the first rows that came with the cell's output. */
  seed(offset: number, rows: Value[][]): void {
    if (offset === 0 && rows.length > 0) this.pages.set(0, rows.slice(0, PAGE_ROWS));
  }

  /** Forgets every page (the sort changed); answers still on the way are ignored. */
  reset(fetcher: PageFetcher): void {
    this.fetcher = fetcher;
    this.pages.clear();
    this.inFlight.clear();
    this.wanted = [];
    this.generation++;
  }

  row(index: number): Value[] | undefined {
    const page = this.pages.get(Math.floor(index / PAGE_ROWS));
    return page?.[index % PAGE_ROWS];
  }

  /** Asks for the pages covering rows first..last; only the latest wish is kept while busy. */
  want(first: number, last: number): void {
    const need: number[] = [];
    for (let p = Math.floor(first / PAGE_ROWS); p <= Math.floor(last / PAGE_ROWS); p++) {
      const page = this.pages.get(p);
      if (page) {
        this.pages.delete(p); // touch: most recent last
        this.pages.set(p, page);
      }
      if (!this.complete(p, last) && !this.inFlight.has(p)) need.push(p);
    }
    this.wanted = need;
    this.pump();
  }

  private complete(p: number, last: number): boolean {
    const page = this.pages.get(p);
    if (!page) return false;
    const end = Math.min((p + 1) * PAGE_ROWS - 1, last);
    return page.length >= end - p * PAGE_ROWS + 1;
  }

  private pump(): void {
    while (this.inFlight.size < MAX_IN_FLIGHT && this.wanted.length > 0) {
      const p = this.wanted.shift()!;
      void this.load(p);
    }
  }

  private async load(p: number): Promise<void> {
    const generation = this.generation;
    this.inFlight.add(p);
    const have = this.pages.get(p) ?? [];
    try {
      // The server may answer with fewer rows than asked (its byte budget per page): ask on from there.
      const page = await this.fetcher(p * PAGE_ROWS + have.length, PAGE_ROWS - have.length);
      if (generation !== this.generation) return;
      this.fetched++;
      this.pages.set(p, have.concat(page.rows));
      while (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
      this.changed();
    } catch (error) {
      if (generation === this.generation) this.failed(error);
    } finally {
      if (generation === this.generation) this.inFlight.delete(p);
      this.pump();
    }
  }
}
