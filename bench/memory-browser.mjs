// The browser part of bench/memory.sh: an administrator in Debian's Chromium signs in, walks the
// staff pages (each hydrated), and imports the 19-row sample through the screens (upload, check,
// apply valid rows). Run from end2end/ (it uses that folder's Playwright): BENCH_ORIGIN.
import { createRequire } from "node:module";
import path from "node:path";
const { chromium } = createRequire(`${process.cwd()}/`)("@playwright/test");

const origin = process.env.BENCH_ORIGIN;
const sample = path.resolve(process.cwd(), "../docs/import-sample.xlsx");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const hydrated = () => page.locator("html[data-hydrated=true]").waitFor();
await page.goto(`${origin}/login`);
await hydrated();
await page.getByLabel("Логин").fill("admin");
await page.getByLabel("Пароль").fill("demo-platforma");
await page.getByTestId("sign-in-submit").click();
await page.waitForURL(/\/staff$/);
for (const p of ["/staff", "/staff/buildings", "/staff/people", "/staff/companies", "/staff/admin/users",
  "/staff/admin/roles", "/staff/admin/audit", "/staff/phonebook", "/staff/account"]) {
  await page.goto(`${origin}${p}`);
  await hydrated();
}
await page.goto(`${origin}/staff/buildings`);
await hydrated();
await page.getByTestId("building-card").first().click();
await page.getByTestId("unit-cell").first().waitFor();
await page.goto(`${origin}/staff/people/import`);
await hydrated();
await page.getByLabel("Дом").selectOption({ label: "Садовая, 3" });
await page.getByLabel("Файл CSV, XLSX, XLS или ODS").setInputFiles(sample);
await page.getByTestId("import-submit").click();
await page.waitForURL(/\/staff\/people\/import\/\d+$/);
await hydrated();
await page.getByTestId("import-check").click();
await page.getByTestId("import-would-create").waitFor();
await page.getByTestId("import-valid-only").check();
await page.getByTestId("import-start").click();
await page.getByTestId("import-status").filter({ hasText: /Готово|Ошибка/ }).waitFor({ timeout: 30_000 });
await browser.close();
