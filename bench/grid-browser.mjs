// The building grid (шахматка) of the demo tower in Debian's Chromium: time from navigation to a
// hydrated page with every unit cell, and time for a colour-mode switch to repaint every cell.
// Run from end2end/ (it uses that folder's Playwright): BENCH_ORIGIN, BENCH_TOWER as bench/run.sh sets.
// Resolved from the working directory (end2end/), where Playwright is installed.
import { createRequire } from "node:module";
const { chromium } = createRequire(`${process.cwd()}/`)("@playwright/test");

const origin = process.env.BENCH_ORIGIN;
const tower = process.env.BENCH_TOWER;
const runs = Number(process.env.BENCH_RUNS ?? 10);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
await page.goto(`${origin}/login`);
await page.locator("html[data-hydrated=true]").waitFor();
await page.getByLabel("Логин").fill("admin");
await page.getByLabel("Пароль").fill("demo-platforma");
await page.getByTestId("sign-in-submit").click();
await page.waitForURL(/\/staff$/);

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const loads = [];
const switches = [];
for (let i = 0; i < runs; i++) {
  const t0 = Date.now();
  await page.goto(`${origin}/staff/buildings/${tower}`);
  await page.locator("html[data-hydrated=true]").waitFor();
  const cells = await page.getByTestId("unit-cell").count();
  if (cells < 1000) throw new Error(`only ${cells} cells`);
  loads.push(Date.now() - t0);
  // A click that only works after hydration; wait until the last cell shows the new mode.
  const last = page.getByTestId("unit-cell").last();
  const t1 = Date.now();
  await page.getByTestId("mode-kind").click();
  await last.and(page.locator(".bg-ink-100")).waitFor();
  switches.push(Date.now() - t1);
}
console.log(`navigation to hydrated grid (${runs} loads): p50 ${pct(loads, 50)} ms, p99 ${pct(loads, 99)} ms, max ${Math.max(...loads)} ms`);
console.log(`colour-mode switch repainting every cell: p50 ${pct(switches, 50)} ms, max ${Math.max(...switches)} ms`);
await browser.close();
