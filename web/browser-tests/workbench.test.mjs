// The workbench in real headless Chromium (Playwright driving the machine's /usr/bin/chromium;
// nothing is downloaded) against a real server that BrowserWorkbenchTest starts on loopback with
// a real DuckDB store. Run by that JUnit test; by hand:
//   TRACEFIX_URL=http://127.0.0.1:PORT/ TRACEFIX_TOKEN=... TRACEFIX_NOTEBOOKS=DIR node --test browser-tests/
// With TRACEFIX_SCREENSHOTS=DIR every view visited is also written there as a PNG.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openBrowser, screenshot } from "./session.mjs";

const base = process.env.TRACEFIX_URL;
const token = process.env.TRACEFIX_TOKEN;
const notebooks = process.env.TRACEFIX_NOTEBOOKS;
if (!base || !token || !notebooks) throw new Error("set TRACEFIX_URL, TRACEFIX_TOKEN and TRACEFIX_NOTEBOOKS");

/** An upper bound for the page to react, not a measurement: waits end as soon as it does. */
const PATIENCE = 60_000;

let browser;
let page;

before(async () => {
  ({ browser, page } = await openBrowser({ base, token, patience: PATIENCE, clipboard: true }));
});

after(async () => {
  await browser?.close();
});

const shot = (name) => screenshot(page, name);

/** Each scenario starts from the fixture's text of the notebooks the others edit. */
const pristine = new Map(["retransmits.md", "big.md", "failing-cell.md"].map((n) => [n, readFileSync(join(notebooks, n), "utf8")]));

async function open(notebook) {
  for (const [name, text] of pristine) if (readFileSync(join(notebooks, name), "utf8") !== text) writeFileSync(join(notebooks, name), text);
  await page.goto(`${base}#/notebook/${notebook}`);
  await page.reload(); // a fresh page per scenario: no state carried from the last one
  await page.locator("[data-testid=cell]").first().waitFor();
}

/** Polls `check` until it passes (the server writes the file after the page already shows it). */
async function eventually(check) {
  const end = Date.now() + PATIENCE;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const cell = (id) => page.locator(`[data-testid=cell][data-cell-id='${id}']`);
const fileText = (name) => readFileSync(join(notebooks, name), "utf8");

/** The visible grid rows of a cell as arrays of cell texts (row number left out). */
async function gridRows(id) {
  return cell(id)
    .locator("[data-testid=grid-row]")
    .evaluateAll((rows) =>
      rows
        .sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row))
        .map((r) => [...r.querySelectorAll("[data-testid=grid-cell]")].map((c) => c.textContent)),
    );
}

/** Replaces a cell's editor text by typing, as a person would. */
async function typeInto(id, text) {
  const editor = cell(id).locator(".cm-content");
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text);
}

test("a notebook opens with its prose and runs a SQL cell into the grid", async () => {
  await open("retransmits.md");
  assert.match(await page.locator("[data-testid=prose] h1").first().textContent(), /Retransmit storm/);
  assert.equal((await cell("by_peer").locator("[data-testid=cell-kind]").textContent()).toLowerCase(), "sql");
  await cell("by_peer").locator("[data-testid=run-cell]").click();
  await cell("by_peer").locator("[data-testid=grid-row]").nth(2).waitFor();
  assert.deepEqual(await gridRows("by_peer"), [["peer-7f3a", "3"], ["peer-b2e4", "2"], ["peer-19c0", "1"]]);
  assert.equal(await cell("by_peer").locator("[data-testid=row-count]").textContent(), "3 rows");
  await shot("notebook");
});

test("typed SQL completes a table name from the live catalog and runs with Shift+Enter", async () => {
  await open("retransmits.md");
  await typeInto("top_peer", "select count(*) as n from retr");
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "retransmits" }).first();
  await option.waitFor();
  await shot("completion");
  // CodeMirror ignores Enter for a moment after the list opens (interactionDelay, 75 ms), so a
  // fast typist's Enter is a newline; a person pauses on the list before accepting.
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter"); // accept the completion
  assert.match(await cell("top_peer").locator(".cm-content").textContent(), /from retransmits/);
  await page.keyboard.press("Shift+Enter");
  await cell("top_peer").locator("[data-testid=grid-row]").first().waitFor();
  assert.deepEqual(await gridRows("top_peer"), [["6"]]);
  assert.match(fileText("retransmits.md"), /select count\(\*\) as n from retransmits/);
  // Shift+Enter moved on: the next block is selected in command mode.
  assert.equal(await page.locator("#notebook").getAttribute("data-mode"), "command");
});

test("a cell changed in the file while the page edits it is a conflict, not overwritten", async () => {
  await open("retransmits.md");
  await typeInto("top_peer", "select 2 as typed_in_page");
  // Meanwhile an editor (or a git pull) changes the same cell in the file.
  writeFileSync(join(notebooks, "retransmits.md"), fileText("retransmits.md").replace("from by_peer limit 1", "from by_peer limit 3"));
  await page.keyboard.press("Shift+Enter"); // saves before running: refused
  const banner = page.locator("#banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /was changed on disk since this edit started/);
  assert.match(fileText("retransmits.md"), /from by_peer limit 3/);
  assert.doesNotMatch(fileText("retransmits.md"), /typed_in_page/);
  // The typed edit is still in the editor, to merge by hand.
  assert.match(await cell("top_peer").locator(".cm-content").textContent(), /typed_in_page/);
  await page.keyboard.press("Escape");
});

test("a cell changed in the file while its editor has focus but no edit shows the file's text", async () => {
  await open("retransmits.md");
  await cell("top_peer").locator(".cm-content").click(); // focus, nothing typed
  writeFileSync(join(notebooks, "retransmits.md"), fileText("retransmits.md").replace(/from by_peer limit \d+/, "from by_peer limit 4"));
  const runs = Number((await page.locator("#notebook").getAttribute("data-runs")) ?? "0");
  await page.keyboard.press("Control+Enter"); // nothing to save: runs the file's text, then refreshes
  await page.waitForFunction((n) => Number(document.querySelector("#notebook").dataset.runs) >= n + 1, runs);
  // The editor shows what ran; left with the older text it would save that over the file later.
  assert.match(await cell("top_peer").locator(".cm-content").textContent(), /limit 4/);
  assert.doesNotMatch((await cell("top_peer").getAttribute("class")) ?? "", /\bdirty\b/);
  await page.keyboard.press("Escape");
});

test("columns complete after a table name with their types", async () => {
  await open("retransmits.md");
  await typeInto("top_peer", "select retransmits.by");
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "bytes" }).first();
  await option.waitFor();
  assert.match(await option.textContent(), /INTEGER/);
  await page.keyboard.press("Escape");
});

test("function names and saved queries complete too", async () => {
  await open("retransmits.md");
  await typeInto("top_peer", "select approx_count_d");
  // Typed before the catalog arrived (opening the notebook's database takes a moment): the list
  // fills in when it does.
  await page.locator(".cm-tooltip-autocomplete li", { hasText: "approx_count_distinct" }).first().waitFor();
  await page.keyboard.press("Escape");
  await typeInto("top_peer", "busy");
  const saved = page.locator(".cm-tooltip-autocomplete li", { hasText: "busy-peers" }).first();
  await saved.waitFor();
  assert.match(await saved.textContent(), /saved query/);
  await page.waitForTimeout(200); // CodeMirror's interactionDelay, as above
  await page.keyboard.press("Enter");
  assert.match(await cell("top_peer").locator(".cm-content").textContent(), /HAVING count\(\*\) >= 2/);
  await page.keyboard.press("Escape");
});

test("restarting the kernel drops kept results and marks outputs stale", async () => {
  await open("retransmits.md");
  await cell("by_peer").locator("[data-testid=run-cell]").click();
  await cell("by_peer").locator("[data-testid=grid-row]").first().waitFor();
  await page.waitForFunction(() => document.querySelector("[data-cell-id=by_peer]")?.dataset.state === "done");
  await page.locator("[data-testid=restart-kernel]").click();
  await page.locator("[data-testid=banner]", { hasText: "Kernel restarted" }).waitFor();
  await page.waitForFunction(() => document.querySelector("[data-cell-id=by_peer]")?.hasAttribute("data-stale"));
  await page.locator("[data-testid=panel-tab-schema]").click();
  await page.locator("[data-testid=schema-relation][data-relation=retransmits]").waitFor();
  assert.equal(await page.locator("[data-testid=schema-relation][data-relation=by_peer]").count(), 0, "the named result went with the kernel");
  await page.locator("[data-testid=panel-tab-notebooks]").click();
});

test("a 10M-row result scrolls to its end fetching only the pages in view, and sorts on the server", async () => {
  await open("big.md");
  await cell("big").locator("[data-testid=run-cell]").click();
  const count = cell("big").locator("[data-testid=row-count]");
  await count.waitFor();
  assert.equal(await count.textContent(), "10,000,000 rows");
  // The notebook view that follows the run holds the same output: the grid is not drawn again.
  await page.waitForFunction(() => document.querySelector("[data-runs]")?.dataset.runs === "1");
  const renders = await cell("big").getAttribute("data-output-renders");
  // Pages asked of the server, counted on the wire: what "only the pages in view" is about.
  const pageRequests = [];
  const countRows = (request) => {
    if (/\/api\/notebooks\/big\.md\/cells\/big\/rows\?/.test(request.url())) pageRequests.push(new URL(request.url()).searchParams.get("offset"));
  };
  page.on("request", countRows);
  const body = cell("big").locator("[data-testid=grid-body]");
  await body.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = cell("big").locator("[data-testid=grid-row][data-row='9999999']:not(.loading)");
  await last.waitFor();
  assert.equal(await last.locator("[data-testid=grid-cell]").first().textContent(), "9999999");
  await shot("grid-10m-end");
  // Halfway, by dragging the scroll position: the rows there, not every row before them.
  await body.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await page.waitForFunction(() => {
    const grid = document.querySelector("[data-cell-id=big] [data-testid=output-table]");
    const first = Number(grid?.dataset.firstRow ?? 0);
    // Between 4M and 6M: until the scroll event's render the grid still shows the end, whose
    // first row is past 4M too.
    return first > 4_000_000 && first < 6_000_000 && grid.querySelector(`[data-row='${first}']:not(.loading)`) !== null;
  });
  page.off("request", countRows);
  const fetched = pageRequests.length;
  console.log(`10M rows: ${fetched} pages of 500 rows fetched for the end and the middle (offsets ${pageRequests.join(", ")})`);
  assert.equal(await cell("big").getAttribute("data-output-renders"), renders, "the output was drawn again while scrolled");
  // The first page came with the output; the end and the middle were fetched, and nothing else
  // but the pages around them.
  assert.ok(pageRequests.some((o) => Number(o) >= 9_999_000), `the end was fetched: ${pageRequests}`);
  assert.ok(pageRequests.some((o) => Number(o) > 4_000_000 && Number(o) < 6_000_000), `the middle was fetched: ${pageRequests}`);
  assert.ok(fetched <= 12, `pages fetched for the end and the middle: ${fetched}`);

  await cell("big").locator("[data-testid=sort-column]", { hasText: "i" }).first().click(); // ascending
  await cell("big").locator("[data-testid=sort-column]", { hasText: "i" }).first().click(); // descending
  await page.waitForFunction(() => document.querySelector("[data-cell-id=big] [data-testid=row-count]")?.textContent?.includes("descending"));
  const first = cell("big").locator("[data-testid=grid-row][data-row='0']:not(.loading) [data-testid=grid-cell]").first();
  await page.waitForFunction(
    () => document.querySelector("[data-cell-id=big] [data-testid=grid-row][data-row='0']:not(.loading) [data-testid=grid-cell]")?.textContent === "9999999",
  );
  assert.equal(await first.textContent(), "9999999");

  await cell("big").locator("[data-testid=summarize-column]").nth(1).click();
  const summary = cell("big").locator("[data-testid=column-summary]");
  await summary.locator("dl").waitFor();
  const text = await summary.textContent();
  assert.match(text, /min0/);
  assert.match(text, /max6/);
  assert.match(text, /rows10,000,000/);
  await shot("column-summary");
});

test("cells of the grid are selected with the mouse and copied as tab-separated text; the result downloads as CSV and Parquet", async () => {
  await open("retransmits.md");
  await cell("by_peer").locator("[data-testid=run-cell]").click();
  const cells = cell("by_peer").locator("[data-testid=grid-cell]");
  await cells.nth(5).waitFor();
  await cells.nth(0).click();
  await cells.nth(3).click({ modifiers: ["Shift"] });
  await page.keyboard.press("Control+C");
  await page.waitForFunction(() => document.querySelector("[data-cell-id=by_peer] [data-testid=output-table]")?.dataset.copied === "2");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "peer-7f3a\t3\npeer-b2e4\t2");

  const [download] = await Promise.all([page.waitForEvent("download"), cell("by_peer").locator("[data-testid=download-csv]").click()]);
  assert.equal(download.suggestedFilename(), "by_peer.csv");
  assert.equal(readFileSync(await download.path(), "utf8"), "peer,retx\r\npeer-7f3a,3\r\npeer-b2e4,2\r\npeer-19c0,1\r\n");

  // Parquet beside it: the file the server's route writes (its rows and types are checked by
  // ParquetDownloadTest, which decodes it with DuckDB), sorted as the grid shows.
  await cell("by_peer").locator("[data-testid=sort-column]", { hasText: "retx" }).first().click();
  await page.waitForFunction(() => document.querySelector("[data-cell-id=by_peer] [data-testid=row-count]")?.textContent?.endsWith("(sorted by retx)"));
  const [parquet] = await Promise.all([page.waitForEvent("download"), cell("by_peer").locator("[data-testid=download-parquet]").click()]);
  assert.equal(parquet.suggestedFilename(), "by_peer.parquet");
  const bytes = readFileSync(await parquet.path());
  assert.equal(bytes.subarray(0, 4).toString("latin1"), "PAR1");
  assert.equal(bytes.subarray(bytes.length - 4).toString("latin1"), "PAR1");
  const direct = await page.request.get(`${base}api/notebooks/retransmits.md/cells/by_peer/rows.parquet?sort=retx&desc=false`);
  assert.equal(direct.status(), 200);
  assert.ok(Buffer.compare(bytes, await direct.body()) === 0, "the button downloads the route's file, sorted as shown");
});

test("a runaway query shows its elapsed time, the page stays usable, and Interrupt stops it", async () => {
  await open("runaway.md");
  await cell("spin").locator("[data-testid=run-cell]").click();
  const state = cell("spin").locator("[data-testid=cell-state]");
  await page.waitForFunction(() => /running \d+\.\d s/.test(document.querySelector("[data-cell-id=spin] [data-testid=cell-state]")?.textContent ?? ""));
  const first = await state.textContent();
  await page.waitForFunction((was) => document.querySelector("[data-cell-id=spin] [data-testid=cell-state]")?.textContent !== was, first);
  // The page answers while the cell runs: the shortcuts overlay opens and closes.
  await page.locator("[data-testid=show-shortcuts]").click();
  await page.locator("[data-testid=shortcuts]").waitFor();
  await page.keyboard.press("Escape");
  await page.locator("[data-testid=shortcuts]").waitFor({ state: "detached" });
  await shot("running-cell");
  await page.locator("[data-testid=interrupt]").click();
  const error = cell("spin").locator("[data-testid=output-error]");
  await error.waitFor();
  assert.match(await error.textContent(), /interrupt/i);
  assert.equal(await cell("spin").getAttribute("data-state"), "error");
});

test("Java cells complete the helper API, page a shown table, and a runaway Java loop is stopped from its cell", async () => {
  await open("spin.md");
  await typeInto("calc", "var t = sq");
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "sql" }).first();
  await option.waitFor();
  assert.match(await option.textContent(), /SqlTable/);
  await page.waitForTimeout(200); // CodeMirror's interactionDelay, as above
  await page.keyboard.press("Enter");
  assert.match(await cell("calc").locator(".cm-content").textContent(), /var t = sql\(""\)/);
  await page.keyboard.press("Escape");

  await cell("shown").locator("[data-testid=run-cell]").click();
  const count = cell("shown").locator("[data-testid=row-count]");
  await count.waitFor();
  assert.equal(await count.textContent(), "5,000 rows");
  await cell("shown").locator("[data-testid=grid-body]").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await cell("shown").locator("[data-testid=grid-row][data-row='4999']:not(.loading) [data-testid=grid-cell]", { hasText: "4999" }).waitFor();

  await cell("spin").locator("[data-testid=run-cell]").click();
  const stop = cell("spin").locator("[data-testid=stop-cell]");
  await stop.waitFor();
  // The snippet VM starts and the loop runs; a stop before it runs would prove nothing.
  await page.waitForFunction(() => /running ([3-9]|\d\d+)\.\d s/.test(document.querySelector("[data-cell-id=spin] [data-testid=cell-state]")?.textContent ?? ""));
  await stop.click();
  const error = cell("spin").locator("[data-testid=output-error]");
  await error.waitFor();
  // Stopped by JShell, or (when that does not take within its bound, as on a loaded machine) by
  // killing the snippet VM: either way the runaway cell ended and says how.
  assert.match(await error.textContent(), /cell interrupted|kernel restarted/);
  await stop.waitFor({ state: "hidden" });
});

test("command mode: B inserts, M and Y switch kinds, DD deletes, Z undoes, ? lists the keys", async () => {
  await open("big.md");
  const original = fileText("big.md");
  const cells = page.locator("[data-testid=cell]");
  const before = await cells.count();
  await cell("big").locator(".cm-content").click();
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#notebook").getAttribute("data-mode"), "command");
  await page.keyboard.press("b");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n + 1, before);
  await page.keyboard.type("select 42 as answer"); // the new cell is in edit mode
  await page.keyboard.press("Control+Enter");
  await page.locator("[data-testid=cell] [data-testid=grid-cell]", { hasText: "42" }).first().waitFor();
  assert.match(fileText("big.md"), /```sql id=c_[0-9a-f]+\nselect 42 as answer\n```\n$/);

  await page.keyboard.press("Escape");
  await page.keyboard.press("m");
  await page.locator("[data-testid=prose]", { hasText: "select 42 as answer" }).waitFor();
  assert.equal(await cells.count(), before);
  await page.keyboard.press("y");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n + 1, before);
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n, before);
  assert.doesNotMatch(fileText("big.md"), /select 42/);
  await page.keyboard.press("z");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n + 1, before);
  assert.match(fileText("big.md"), /select 42 as answer/);
  await page.keyboard.press("a"); // above the restored cell
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n + 2, before);
  await page.keyboard.press("Escape");
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  await page.keyboard.press("j");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n + 1, before);
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n, before);
  assert.equal(fileText("big.md"), original);

  await page.keyboard.press("k");
  await page.keyboard.press("?");
  const overlay = page.locator("[data-testid=shortcuts]");
  await overlay.waitFor();
  assert.match(await overlay.textContent(), /insert a cell below/);
  await shot("shortcuts");
  await page.keyboard.press("Escape");
});

test("Alt+Enter runs the cell and opens a new one below for typing", async () => {
  await open("failing-cell.md");
  await typeInto("typo", "select 7 as seven");
  await page.keyboard.press("Alt+Enter");
  await cell("typo").locator("[data-testid=grid-cell]", { hasText: "7" }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=cell]").length === 2);
  const focused = await page.evaluate(() => document.activeElement?.closest("[data-testid=cell]")?.getAttribute("data-cell-id"));
  assert.notEqual(focused, "typo", "the new cell has the focus");
  assert.match(focused ?? "", /^c_[0-9a-f]+$/);
  await page.keyboard.type("select 8 ");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#notebook").getAttribute("data-mode"), "command");
  await eventually(() => assert.match(fileText("failing-cell.md"), /select 7 as seven\n```\n```sql id=c_[0-9a-f]+\nselect 8 \n```\n/));
});

test("Ctrl+Enter on an edited cell runs it and marks the cells that read it stale", async () => {
  await open("retransmits.md");
  const runs = Number((await page.locator("#notebook").getAttribute("data-runs")) ?? "0");
  await page.locator("[data-testid=run-all]").click();
  await page.waitForFunction((n) => Number(document.querySelector("#notebook").dataset.runs) >= n + 2, runs);
  assert.equal(await cell("top_peer").getAttribute("data-stale"), null);
  await cell("by_peer").locator(".cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\nlimit 2");
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(() => document.querySelector("[data-cell-id=top_peer]")?.hasAttribute("data-stale"));
  assert.match(fileText("retransmits.md"), /order by retx desc, peer\nlimit 2\n```/);
  await page.locator("[data-testid=run-stale]").click();
  await page.waitForFunction(() => !document.querySelector("[data-cell-id=top_peer]")?.hasAttribute("data-stale"));
});

test("a failing SQL cell shows the message and marks the failing line", async () => {
  await open("failing-cell.md");
  await cell("typo").locator("[data-testid=run-cell]").click();
  const error = cell("typo").locator("[data-testid=output-error]");
  await error.waitFor();
  assert.match((await error.textContent()).toLowerCase(), /syntax/);
  await cell("typo").locator("[data-testid=error-position]").waitFor();
  await cell("typo").locator("[data-testid=error-line]").waitFor();
  await shot("cell-error");
});

test("a Markdown block edits on double click and renders when left", async () => {
  await open("retransmits.md");
  const prose = page.locator("[data-testid=prose]", { hasText: "The busiest peer" });
  await prose.dblclick();
  await prose.locator("[data-testid=prose-editor] .cm-content").waitFor();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" It is **hot**.");
  await page.keyboard.press("Escape");
  await page.locator("[data-testid=prose] strong", { hasText: "hot" }).waitFor({ timeout: 10_000 }).catch(async (e) => {
    throw new Error(`${e.message}\nbanner: ${await page.locator("[data-testid=banner]").textContent()}\nblocks: ${await page.locator("[data-testid=blocks]").innerHTML()}`);
  });
  await eventually(() => assert.match(fileText("retransmits.md"), /The busiest peer: It is \*\*hot\*\*\./));
});

test("save commits, history lists the versions, a diff compares two and an old one opens", async () => {
  await open("retransmits.md");
  page.once("dialog", (d) => d.accept("Ask for the top two peers"));
  await typeInto("top_peer", "select peer from by_peer limit 2");
  await page.keyboard.press("Escape");
  await page.locator("[data-testid=save]").click();
  await page.locator("[data-testid=banner]", { hasText: "Saved as" }).waitFor();
  await page.locator("[data-testid=history]").click();
  const revisions = page.locator("[data-testid=revision]");
  await revisions.nth(1).waitFor();
  assert.equal(await revisions.count(), 2);
  await page.locator("[data-testid=pick-revision]").nth(0).check();
  await page.locator("[data-testid=pick-revision]").nth(1).check();
  await page.locator("[data-testid=compare]").click();
  const added = page.locator("[data-testid=diff-add]", { hasText: "limit 2" }).first();
  await added.waitFor();
  await shot("history-diff");
  await page.locator("[data-testid=open-revision]").nth(1).click();
  const old = page.locator("[data-testid=revision-view]");
  await old.waitFor();
  assert.match(await old.locator("[data-cell-id=top_peer] [data-testid=cell-source-at]").textContent(), /limit 1/);
  await shot("revision");
});

test("the notebook list searches, creates from a template and renames", async () => {
  await open("retransmits.md");
  await page.locator("[data-testid=notebook-search]").fill("retrans");
  assert.equal(await page.locator("[data-testid=notebook-link]").count(), 1);
  await page.locator("[data-testid=notebook-search]").fill("");
  await page.locator("[data-testid=new-notebook]").click();
  await page.locator("[data-testid=new-notebook-name]").fill("incident");
  await page.locator("[data-testid=new-notebook-template]").selectOption("retransmits.md");
  await page.locator("[data-testid=create-notebook]").click();
  await page.waitForFunction(() => location.hash === "#/notebook/incident.md");
  await cell("by_peer").waitFor();
  assert.equal(fileText("incident.md"), fileText("retransmits.md"));
  page.once("dialog", (d) => d.accept("incident-renamed.md"));
  await page.locator("[data-testid=notebook-link][data-notebook='incident.md'] + [data-testid=rename-notebook]").click();
  await page.waitForFunction(() => location.hash === "#/notebook/incident-renamed.md");
  await page.locator("[data-testid=notebook-link][data-notebook='incident-renamed.md']").waitFor();
  await shot("notebook-list");
});

test("the schema browser lists tables with row counts and inserts a cell that reads one", async () => {
  await open("retransmits.md");
  await page.locator("[data-testid=panel-tab-schema]").click();
  const relation = page.locator("[data-testid=schema-relation][data-relation=retransmits]");
  await relation.waitFor();
  assert.match(await relation.locator("xpath=..").textContent(), /6 rows/);
  await shot("schema-panel");
  const before = await page.locator("[data-testid=cell]").count();
  await relation.click();
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n + 1, before);
  assert.match(fileText("retransmits.md"), /FROM store\.retransmits\nLIMIT 100/);
});

test("a saved query is previewed, its parameter set in the form, and inserted as a cell", async () => {
  await open("retransmits.md");
  await page.locator("[data-testid=panel-tab-queries]").click();
  await page.locator("[data-testid=query-search]").fill("busy");
  await page.locator("[data-testid=saved-query][data-query=busy-peers]").click();
  await page.locator("[data-testid=param-min_retx]").fill("3");
  assert.match(await page.locator("[data-testid=query-preview] pre").textContent(), />= 3/);
  await shot("saved-queries-panel");
  await page.locator("[data-testid=insert-query]").click();
  await page.waitForFunction(() => [...document.querySelectorAll(".cm-content")].some((c) => c.textContent.includes("busy-peers")));
  assert.match(fileText("retransmits.md"), /HAVING count\(\*\) >= 3/);
});

test("a malformed notebook shows the file and line instead of a page", async () => {
  await page.goto(`${base}#/notebook/broken.md`);
  await page.reload();
  const error = page.locator("[data-testid=open-error]");
  await error.waitFor();
  assert.match(await error.textContent(), /broken\.md:3/);
});
