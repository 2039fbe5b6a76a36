// Timeline frame time in headless Chromium (run by bench/timeline.sh through TimelineBench, which
// starts the server): opens the timeline of a cell selecting every event, then zooms in with W
// step by step and out again with S. At each window it waits for the server's level-of-detail
// answer (timing the round trip from key press to the new data drawn) and redraws the canvas
// 20 times, timing each frame. Prints medians and 95th percentiles.
import { openBrowser } from "./session.mjs";

const base = process.env.TRACEFIX_URL;
const token = process.env.TRACEFIX_TOKEN;
const events = Number(process.env.TRACEFIX_EVENTS);
const { browser, page } = await openBrowser({ base, token, patience: 120_000, viewport: { width: 1600, height: 1000 } });
try {
  await page.goto(`${base}#/notebook/trace.md`);
  await page.locator("[data-testid=open-timeline]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=timeline]")?.dataset.loaded);
  const timeline = page.locator("[data-testid=timeline]");
  if (Number(await timeline.getAttribute("data-events")) !== events) throw new Error("not every event is in view");
  await timeline.focus();
  const frames = [];
  const trips = [];
  const steps = [...Array(12).fill("w"), ...Array(12).fill("s")];
  for (const key of steps) {
    const loaded = Number(await timeline.getAttribute("data-loaded"));
    const t0 = Date.now();
    await page.keyboard.press(key);
    await page.waitForFunction((n) => Number(document.querySelector("[data-testid=timeline]").dataset.loaded) > n, loaded);
    trips.push(Date.now() - t0);
    const drawn = await page.evaluate(() => {
      const view = document.querySelector("[data-testid=timeline]").view;
      const times = [];
      for (let i = 0; i < 20; i++) times.push(view.draw());
      return { times, slices: view.root.dataset.slices, buckets: view.root.dataset.buckets, events: view.root.dataset.events };
    });
    frames.push(...drawn.times);
    console.log(`window after ${key}: ${drawn.events} events, ${drawn.slices} slices, ${drawn.buckets} buckets; frame median ${median(drawn.times).toFixed(2)} ms`);
  }
  console.log(`frames: ${frames.length}, median ${median(frames).toFixed(2)} ms, p95 ${pct(frames, 0.95).toFixed(2)} ms, max ${Math.max(...frames).toFixed(2)} ms`);
  console.log(`zoom step to new detail drawn (incl. ${120} ms debounce): median ${median(trips)} ms, p95 ${pct(trips, 0.95)} ms`);
} finally {
  await browser.close();
}

function median(xs) {
  return pct(xs, 0.5);
}
function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}
