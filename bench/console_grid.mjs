// The console's item grid at 10,000 items (issue 18.5): for each dataset in LG_GRID.datasets (a small floor and
// the big one), load every keyset page by scrolling, then scroll the whole grid in STEPS steps of one screen,
// one animation frame each, and report per step the renderer main thread's CPU (CDP Performance TaskDuration)
// and the frame time, with the cells in the DOM. Used by bench/console_grid.py. Every request outside the
// gateway is aborted.
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../console/package.json"));
const { chromium } = require("playwright-core");
const cfg = JSON.parse(process.env.LG_GRID);
const STEPS = cfg.steps ?? 200;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
context.setDefaultTimeout(300_000);
await context.route("**/*", (r) => (r.request().url().startsWith(cfg.base) ? r.continue() : r.abort()));
await context.addInitScript((t) => sessionStorage.setItem("labelgraph.token", t), cfg.token);
const out = {};
for (const [name, id, total] of cfg.datasets) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(`${cfg.base}/#/datasets/${id}`);
  await page.locator("[data-item-id]").first().waitFor();
  const grid = page.locator(".grid");
  const count = page.getByTestId("item-count");
  const loadStart = Date.now();
  for (let i = 0; i < 1000; i++) {  // every page: scroll to the end until the count says all are loaded
    const text = await count.textContent();
    if (!text.includes("loaded")) break;
    await grid.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForFunction((prev) => document.querySelector("[data-testid=item-count]")?.textContent !== prev, text);
  }
  const loadMs = Date.now() - loadStart;
  const task = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration").value;
  await grid.evaluate((el) => { el.scrollTop = 0; });
  const cpu = [], frames = [], cells = [];
  for (let s = 0; s < STEPS; s++) {
    const before = await task();
    const frame = await grid.evaluate((el, s) => new Promise((done) => {
      const t0 = performance.now();
      el.scrollTop = (s + 1) * el.clientHeight % Math.max(1, el.scrollHeight - el.clientHeight);
      el.dispatchEvent(new Event("scroll"));
      requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
    }), s);
    cpu.push((await task()) - before);
    frames.push(frame);
    cells.push(await page.locator("[data-item-id]").count());
  }
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  out[name] = { total, countText: await count.textContent(), loadMs, steps: STEPS,
    cpuMsMedian: q(cpu, 0.5) * 1000, cpuMsP95: q(cpu, 0.95) * 1000, frameMsMedian: q(frames, 0.5),
    frameMsP95: q(frames, 0.95), cellsMax: Math.max(...cells), jsHeapMB: (await cdp.send("Performance.getMetrics"))
      .metrics.find((m) => m.name === "JSHeapUsedSize").value / 2 ** 20 };
  await page.close();
}
await browser.close();
process.stdout.write(JSON.stringify(out) + "\n");
