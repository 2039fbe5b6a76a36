// The live capture panel in real headless Chromium (Playwright driving /usr/bin/chromium) against
// a real server that LiveCaptureBrowserTest starts on loopback, capturing a child process with the
// real kernel. Run by that JUnit test; by hand:
//   TRACEFIX_URL=http://127.0.0.1:PORT/ TRACEFIX_TOKEN=... TRACEFIX_PID=N node --test browser-tests/capture.test.mjs
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openBrowser, screenshot } from "./session.mjs";

const base = process.env.TRACEFIX_URL;
const token = process.env.TRACEFIX_TOKEN;
const pid = process.env.TRACEFIX_PID;
if (!base || !token || !pid) throw new Error("set TRACEFIX_URL, TRACEFIX_TOKEN and TRACEFIX_PID");

/** An upper bound for the page to react, not a measurement: waits end as soon as it does. */
const PATIENCE = 60_000;

let browser;
let page;

before(async () => {
  ({ browser, page } = await openBrowser({ base, token, patience: PATIENCE }));
});

after(async () => {
  await browser?.close();
});

const shot = (name) => screenshot(page, name);

test("a live capture is started from the panel, shows a rate, is stopped, and its rows are queried", async () => {
  await page.goto(`${base}#/notebook/live.md`);
  await page.reload();
  await page.locator("[data-testid=cell]").first().waitFor();
  await page.locator("[data-testid=panel-tab-capture]").click();
  await page.locator("[data-testid=probe-default]").uncheck();
  await page.locator("[data-testid=probe-process]").check();
  await page.locator("[data-testid=probe-syscalls]").check();
  await page.locator("[data-testid=capture-target]").fill(pid);
  await page.locator("[data-testid=capture-seconds]").fill("30");
  await page.locator("[data-testid=capture-start]").click();

  // A snapshot with a positive rate for some type, pushed over /api/events.
  await page.waitForFunction(() =>
    [...document.querySelectorAll("[data-testid=capture-per-second]")].some((td) => Number(td.textContent) > 0),
  );
  assert.equal(await page.locator("[data-testid=capture-state]").getAttribute("data-state"), "running");
  await shot("live-capture-running");

  await page.locator("[data-testid=capture-stop]").click();
  await page.locator("[data-testid=capture-state][data-state=stored]").waitFor();
  const status = await page.locator("[data-testid=capture-status]").textContent();
  const stored = Number(/stored (\d+)/.exec(status)[1]);
  assert.ok(stored > 0, status);
  assert.ok(Number(/([\d.]+) s elapsed/.exec(status)[1]) < 30, `stopped, not timed out: ${status}`);
  await shot("live-capture-stored");

  const before = await page.locator("[data-testid=cell]").count();
  await page.locator("[data-testid=capture-insert]").click();
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=cell]").length === n + 1, before);
  // Inserted after the focused cell, if any: found by its text.
  const inserted = page.locator("[data-testid=cell]", { hasText: "-- live capture live-1" });
  await inserted.locator("[data-testid=run-cell]").click();
  await inserted.locator("[data-testid=row-count], .output-error").first().waitFor();
  assert.equal(await inserted.locator("[data-testid=row-count]").count(), 1, await inserted.textContent());
  const grid = await inserted.locator("[data-testid=output-table]").textContent();
  assert.ok(grid.includes(String(stored)), `the query's count is the stored ${stored}: ${grid}`);
});
