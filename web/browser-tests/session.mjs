// The browser the scenario scripts share: Playwright driving the machine's Chromium (nothing is
// downloaded), one page signed in with the server's token, and screenshots when
// TRACEFIX_SCREENSHOTS names a directory.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

/**
 * Launches headless Chromium and opens the workbench at `base` with `token` (at `path`, e.g. a
 * notebook's #/notebook/NAME). `patience` bounds every wait of the page (an upper bound for it to
 * react, not a measurement); `init` runs in the page before any of its scripts (benchmarks stamp
 * times with it).
 */
export async function openBrowser({ base, token, patience, clipboard = false, viewport = { width: 1400, height: 1000 }, init = null, path = "" }) {
  const browser = await chromium.launch({
    executablePath: process.env.TRACEFIX_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport });
  if (clipboard) await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(base).origin });
  const page = await context.newPage();
  page.setDefaultTimeout(patience);
  page.on("pageerror", (error) => console.error("page error:", error.message));
  if (init) await page.addInitScript(init);
  await page.goto(`${base}?token=${token}${path}`);
  return { browser, page };
}

/** Writes the page as `name`.png when TRACEFIX_SCREENSHOTS is set. */
export async function screenshot(page, name) {
  const dir = process.env.TRACEFIX_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}
