// The trace views in real headless Chromium (Playwright driving /usr/bin/chromium) against a real
// server that ViewsBrowserTest starts on loopback over a store of a million generated events with
// stacks (and JVM flight-recorder rows of one of their processes), and the sample service's git
// history for the fix loop. Run by that JUnit test; by hand:
//   TRACEFIX_URL=http://127.0.0.1:PORT/ TRACEFIX_TOKEN=... TRACEFIX_NOTEBOOKS=DIR node --test browser-tests/views.test.mjs
// With TRACEFIX_SCREENSHOTS=DIR every view visited is also written there as a PNG.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openBrowser, screenshot } from "./session.mjs";

const base = process.env.TRACEFIX_URL;
const token = process.env.TRACEFIX_TOKEN;
const notebooks = process.env.TRACEFIX_NOTEBOOKS;
const events = Number(process.env.TRACEFIX_EVENTS ?? "0");
const jvmEvents = Number(process.env.TRACEFIX_JVM_EVENTS ?? "0");
if (!base || !token || !notebooks) throw new Error("set TRACEFIX_URL, TRACEFIX_TOKEN and TRACEFIX_NOTEBOOKS");

/** An upper bound for the page to react, not a measurement: waits end as soon as it does. */
const PATIENCE = 120_000;

let browser;
let page;

before(async () => {
  ({ browser, page } = await openBrowser({ base, token, patience: PATIENCE }));
});

after(async () => {
  await browser?.close();
});

const shot = (name) => screenshot(page, name);

async function open(notebook) {
  await page.goto(`${base}#/notebook/${notebook}`);
  await page.reload();
  await page.locator("[data-testid=cell]").first().waitFor();
}

const cell = (id) => page.locator(`[data-testid=cell][data-cell-id='${id}']`);
const fileText = (name) => readFileSync(join(notebooks, name), "utf8");

async function run(id) {
  await cell(id).locator("[data-testid=run-cell]").click();
  await cell(id).locator("[data-testid=row-count]").waitFor();
}

test("a cell's chart is drawn from its fence, and a chart picked in the page is kept in the file", async () => {
  await open("charts.md");
  await run("per_second");
  const chart = cell("per_second").locator("[data-testid=chart]");
  await chart.locator("canvas").first().waitFor();
  assert.equal(await chart.getAttribute("data-chart-type"), "line");
  await shot("chart-line");

  await run("by_syscall");
  const box = cell("by_syscall");
  await box.locator("[data-testid=chart-type]").selectOption("bar");
  await box.locator("[data-testid=chart-x]").selectOption("call");
  await box.locator("[data-testid=chart-y]").selectOption(["calls"]);
  await box.locator("[data-testid=chart-apply]").click();
  await box.locator("[data-testid=chart] canvas").first().waitFor();
  assert.equal(await box.locator("[data-testid=chart]").getAttribute("data-chart-type"), "bar");
  assert.match(fileText("charts.md"), /```sql id=by_syscall chart=bar x=call y=calls\n/);
  await shot("chart-bar");

  await run("latency");
  await cell("latency").locator("[data-testid=chart] canvas").first().waitFor();
  await shot("chart-histogram");
});

test("the timeline draws a million events through the server's level of detail, zooms with W and the wheel, and a click shows the row", async () => {
  await open("trace.md");
  await run("all");
  await cell("all").locator("[data-testid=open-timeline]").click();
  const timeline = page.locator("[data-testid=timeline]");
  await page.waitForFunction(() => document.querySelector("[data-testid=timeline]")?.dataset.loaded);
  assert.equal(Number(await timeline.getAttribute("data-events")), events + 7 + jvmEvents);
  assert.ok(Number(await timeline.getAttribute("data-buckets")) > 0, "short calls are summed per bucket");
  await shot("timeline");

  // W zooms in around the middle; the view asks the server for the narrower window's detail.
  const before = Number(await timeline.getAttribute("data-to")) - Number(await timeline.getAttribute("data-from"));
  await timeline.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press("w");
  await page.keyboard.press("a");
  await page.waitForFunction((b) => {
    const t = document.querySelector("[data-testid=timeline]");
    return Number(t.dataset.to) - Number(t.dataset.from) < b * 0.5;
  }, before);
  const frame = Number(await timeline.getAttribute("data-frame-ms"));
  console.log(`timeline frame after zoom: ${frame.toFixed(2)} ms, ${await timeline.getAttribute("data-slices")} slices, ${await timeline.getAttribute("data-buckets")} buckets`);

  // The wheel zooms too; then the first 60 ms, where the connect that timed out is a slice.
  const canvas = page.locator("[data-testid=timeline-canvas]");
  const area = await canvas.boundingBox();
  await page.mouse.move(area.x + area.width / 2, area.y + 40);
  const loads = Number(await timeline.getAttribute("data-loaded"));
  await page.mouse.wheel(0, 300);
  await page.waitForFunction((n) => Number(document.querySelector("[data-testid=timeline]").dataset.loaded) > n, loads);
  await page.evaluate(() => document.querySelector("[data-testid=timeline]").view.setWindow(0, 60_000_000));
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=timeline]").dataset.to) === 60_000_000);
  const at = await page.evaluate(() => document.querySelector("[data-testid=timeline]").view.locateSlice("connect"));
  assert.ok(at, "the connect is drawn as a slice");
  await page.mouse.click(area.x + at.x, area.y + at.y);
  const details = page.locator("[data-testid=timeline-row]");
  await details.waitFor();
  assert.match(await page.locator("[data-testid=timeline-picked]").textContent(), /connect ETIMEDOUT: 50\.0 ms/);
  assert.match(await details.textContent(), /ETIMEDOUT/);
  await shot("timeline-zoomed");
});

test("the timeline draws a JVM's recording on a track right under the kernel track of the thread it ran on", async () => {
  await open("trace.md");
  await run("all");
  await cell("all").locator("[data-testid=open-timeline]").click();
  const timeline = page.locator("[data-testid=timeline]");
  await page.waitForFunction(() => document.querySelector("[data-testid=timeline]")?.dataset.loaded);
  assert.equal(Number(await timeline.getAttribute("data-jvm-events")), jvmEvents);
  // The first 60 ms: t_main writes, times out in connect and reads; its JVM wrote to a socket,
  // threw, and waited for a lock; the process paused for a GC and a safepoint.
  await page.evaluate(() => document.querySelector("[data-testid=timeline]").view.setWindow(0, 60_000_000));
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=timeline]").dataset.to) === 60_000_000);
  const tracks = await page.locator("[data-testid=timeline-track]").evaluateAll((items) => items.map((li) => ({ ...li.dataset })));
  const main = tracks.find((t) => t.kind === "thread" && t.id === "t_main");
  const jvm = tracks.find((t) => t.kind === "jvm" && t.id === "t_main");
  assert.ok(main && jvm, JSON.stringify(tracks));
  assert.equal(Number(jvm.parent), Number(main.index), "the JVM track names t_main's kernel track as its parent");
  assert.equal(Number(jvm.index), Number(main.index) + 1, "and is drawn right under it");
  assert.equal(Number(jvm.slices), 2, "the socket write and the lock wait");
  assert.equal(Number(jvm.instants), 1, "the exception thrown");
  const pauses = tracks.find((t) => t.kind === "jvm" && t.id === "p_checkout");
  assert.equal(Number(pauses?.slices), 2, "the GC pause and the safepoint on the process's JVM track");
  assert.equal(tracks.filter((t) => t.kind === "jvm" && t.id === "t_other").length, 0, "another process's recording stays out");

  const canvas = page.locator("[data-testid=timeline-canvas]");
  const area = await canvas.boundingBox();
  const at = await page.evaluate(() => document.querySelector("[data-testid=timeline]").view.locateSlice("jdk.JavaMonitorEnter Orders$Lock"));
  assert.ok(at, "the lock wait is drawn as a slice");
  assert.equal(at.track, Number(jvm.index), "on the JVM track's row");
  await page.mouse.click(area.x + at.x, area.y + at.y);
  assert.match(await page.locator("[data-testid=timeline-picked]").textContent(), /jdk\.JavaMonitorEnter Orders\$Lock: 4\.000 ms/);
  await shot("timeline-jvm");
});

test("the flame graph shows kernel, JVM and user frames, zooms on click, highlights a search and compares two selections", async () => {
  await open("trace.md");
  await run("writes");
  await run("reads");
  await cell("writes").locator("[data-testid=open-flame]").click();
  const flame = page.locator("[data-testid=flame]");
  await page.waitForFunction(() => document.querySelector("[data-testid=flame]")?.dataset.total);
  assert.equal(Number(await flame.getAttribute("data-total")), events / 2 + 1);
  await shot("flame");
  const canvas = page.locator("[data-testid=flame-canvas]");
  const area = await canvas.boundingBox();
  const at = await page.evaluate(() => document.querySelector("[data-testid=flame]").view.locate("[jit]!void Client.send(byte[])"));
  await page.mouse.click(area.x + at.x, area.y + at.y);
  assert.equal(await flame.getAttribute("data-zoom"), "[jit]!void Client.send(byte[])");
  await page.locator("[data-testid=flame-icicle]").check();
  await page.locator("[data-testid=flame-search]").fill("tcp_");
  assert.equal(Number(await flame.getAttribute("data-matched")), events / 2 + 1, "every write ends in tcp_sendmsg");
  await shot("icicle-search");
  await page.locator("[data-testid=flame-against]").selectOption("reads");
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=flame]")?.dataset.baseline) > 0);
  assert.equal(Number(await flame.getAttribute("data-baseline")), events / 2 + 1);
  await shot("flame-differential");
  await page.locator("[data-testid=trace-close]").click();
});

test("the fix loop runs from the side panel with its progress, and the patch is reviewed side by side and accepted", async () => {
  await open("fix.md");
  await page.locator("[data-testid=panel-tab-fixloop]").click();
  const bisect = page.locator("[data-testid=fixloop-cell][data-cell-id=culprit]");
  await bisect.waitFor();
  await bisect.locator("[data-testid=fixloop-run]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=fixloop-cell][data-cell-id=culprit] [data-testid=fixloop-progress]")?.dataset.bound);
  const progress = bisect.locator("[data-testid=fixloop-progress]");
  assert.equal(await progress.getAttribute("data-stage"), "bisect");
  const bound = Number(await progress.getAttribute("data-bound"));
  assert.ok(bound > 0 && Number(await progress.getAttribute("data-done")) <= bound, "steps done within the bound");
  console.log(`bisect: step ${await progress.getAttribute("data-done")} of ${bound}, commit ${await progress.getAttribute("data-commit")}`);
  await shot("fixloop-progress");
  await page.waitForFunction(() => document.querySelector("[data-testid=fixloop-cell][data-cell-id=culprit] [data-testid=fixloop-result]")?.dataset.kind);
  assert.match(await bisect.locator("[data-testid=fixloop-result]").textContent(), /first bad commit [0-9a-f]{12}/);

  const patch = page.locator("[data-testid=fixloop-cell][data-cell-id=fix]");
  await patch.locator("[data-testid=fixloop-run]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=fixloop-cell][data-cell-id=fix] [data-testid=fixloop-result]")?.dataset.kind === "patched");
  await shot("fixloop-done");

  await cell("fix").locator("[data-testid=patch-review]").click();
  const dialog = page.locator("[data-testid=patch-dialog]");
  await dialog.waitFor();
  assert.ok(await dialog.locator("[data-testid=patch-diff] .diff-del").count() > 0);
  assert.ok(await dialog.locator("[data-testid=patch-diff] .diff-add").count() > 0);
  assert.match(await dialog.locator("[data-testid=patch-diff]").textContent(), /Duration\.ofMillis\(500\)/);
  assert.match(await dialog.locator("[data-testid=patch-results]").textContent(), /review gate: passed/);
  await shot("patch-review");
  await dialog.locator("[data-testid=review-accept]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=review-status]")?.dataset.accepted);
  assert.match(await dialog.locator("[data-testid=review-status]").getAttribute("data-accepted"), /^[0-9a-f]{40}$/);
  assert.match(fileText("fix.md"), /accept: yes\n```/);
  await shot("patch-accepted");
});
