// Benchmark of the result grid in real headless Chromium against a real server (started by
// BrowserWorkbenchTest with -Dtracefix.browser.script=web/browser-tests/grid.bench.mjs; run it
// through bench/web-grid.sh). It prints, for a 10M-row result:
//  - time from the finished query (the run request's answer in the page) to the first page of
//    rows painted (the frame after the rows are in the DOM), median of ROUNDS runs, each a new
//    result (a rerun of the same one keeps the grid shown); and the run request's own time;
//  - scroll frame times while the grid is scrolled a step per frame, and while it jumps to
//    random places (pages fetched as it goes), median and 95th percentile;
//  - the bundle's size, raw and gzipped.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { openBrowser } from "./session.mjs";

const base = process.env.TRACEFIX_URL;
const token = process.env.TRACEFIX_TOKEN;
const rounds = Number(process.env.TRACEFIX_BENCH_ROUNDS ?? 5);
let browser;
let page;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const ms = (x) => `${x.toFixed(1)} ms`;

before(async () => {
  // Stamps the moment each cell run's answer reaches the page, and the frame after the first
  // grid row of a new grid is in the DOM.
  const init = () => {
    const original = window.fetch;
    window.fetch = async (...args) => {
      const sent = performance.now();
      // The grid shown before this run is not the one to wait for.
      if (String(args[0]).endsWith("/run")) document.querySelectorAll("[data-testid=output-table]").forEach((g) => (g.dataset.old = "1"));
      const response = await original(...args);
      if (String(args[0]).endsWith("/run")) {
        const done = response.clone();
        await done.text();
        window.__runAnswered = performance.now();
        window.__runTook = window.__runAnswered - sent;
        window.__painted = undefined;
        const watch = new MutationObserver(() => {
          if (document.querySelector("[data-cell-id=big] [data-testid=output-table]:not([data-old]) [data-testid=grid-row]:not(.loading)")) {
            watch.disconnect();
            requestAnimationFrame(() => (window.__painted = performance.now()));
          }
        });
        watch.observe(document.body, { childList: true, subtree: true });
      }
      return response;
    };
  };
  ({ browser, page } = await openBrowser({ base, token, patience: 120_000, init, path: "#/notebook/big.md" }));
  await page.locator("[data-cell-id=big]").waitFor();
});

after(async () => browser?.close());

test("grid benchmark (10M rows)", async () => {
  const paints = [];
  const requests = [];
  for (let i = 0; i < rounds; i++) {
    // A new result each round (other values, the same size), so the page draws a new grid: a rerun of the
    // same query answers with the same output, which the page keeps on screen as it is.
    const put = await page.request.put(`${base}api/notebooks/big.md/cells/big`, {
      headers: { Authorization: `Bearer ${token}` },
      data: { source: `SELECT range + ${i} AS i, range % 7 AS m FROM range(10000000)` },
    });
    assert.equal(put.status(), 200, await put.text());
    // A fresh page shows the new source (an open editor keeps what it has, as it should while a
    // person types) and the last round's result; the stamps start unset.
    await page.reload();
    await page.locator("[data-cell-id=big]").waitFor();
    await page.locator("[data-cell-id=big] [data-testid=run-cell]").click();
    try {
      await page.waitForFunction(() => window.__painted !== undefined || document.querySelector("[data-cell-id=big] [data-testid=output-error]"), null, { timeout: 30_000 });
    } catch (e) {
      const state = await page.evaluate(() => ({ runAnswered: window.__runAnswered, cell: document.querySelector("[data-cell-id=big]")?.outerHTML.slice(0, 3000) }));
      throw new Error(`round ${i}: no first page painted: ${JSON.stringify(state)}`);
    }
    const error = await page.locator("[data-cell-id=big] [data-testid=output-error]").count();
    assert.equal(error, 0, `round ${i}: ${error ? await page.locator("[data-cell-id=big] [data-testid=output-error]").textContent() : ""}`);
    paints.push(await page.evaluate(() => window.__painted - window.__runAnswered));
    requests.push(await page.evaluate(() => window.__runTook));
    await page.waitForFunction(() => document.querySelector("[data-runs]")?.dataset.runs === "1");
  }
  console.log(`finished query -> first page painted: median ${ms(median(paints))} (runs: ${paints.map((p) => p.toFixed(0)).join(", ")} ms)`);
  console.log(`run request (query, keeping the result, first page) on the server: median ${ms(median(requests))} (runs: ${requests.map((p) => p.toFixed(0)).join(", ")} ms)`);

  const frames = async (mode) =>
    page.evaluate(async (jump) => {
      const body = document.querySelector("[data-cell-id=big] [data-testid=grid-body]");
      const times = [];
      let last = performance.now();
      for (let f = 0; f < 240; f++) {
        body.scrollTop = jump ? Math.random() * body.scrollHeight : body.scrollTop + 120;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    }, mode === "jump");
  const steps = await frames("step");
  console.log(`scroll a step per frame: frame median ${ms(median(steps))}, p95 ${ms(p95(steps))} (240 frames)`);
  const jumps = await frames("jump");
  const fetched = await page.locator("[data-cell-id=big] [data-testid=output-table]").getAttribute("data-pages-fetched");
  console.log(`jump anywhere each frame: frame median ${ms(median(jumps))}, p95 ${ms(p95(jumps))} (240 frames, ${fetched} pages fetched)`);

  const dir = join(process.cwd(), "target/classes/web"); // the web module's build output
  const manifest = JSON.parse(readFileSync(join(dir, "build-manifest.json"), "utf8"));
  const size = (files) => files.reduce((a, f) => a + statSync(join(dir, f)).size, 0);
  const gz = (files) => files.reduce((a, f) => a + gzipSync(readFileSync(join(dir, f))).length, 0);
  const all = Object.keys(manifest.sizes);
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(
    `bundle: ${all.length} files, ${kib(size(all))} (${kib(gz(all))} gzipped); loaded up front: ${manifest.initial.length} files, ` +
      `${kib(size(manifest.initial))} (${kib(gz(manifest.initial))} gzipped); Java and Markdown editing load on first use`,
  );
  assert.ok(paints.length === rounds);
});
