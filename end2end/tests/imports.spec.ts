// Imports in the browser: upload the sample export, map and check the columns, see the row with
// a problem, apply only the valid rows, read the report, then see the arrears in the шахматка;
// a broken file gets a clear message; the screens at phone, tablet and desktop widths.
import { expect, test } from "@playwright/test";
import path from "node:path";
import { watchConsole } from "./console";
import { signIn, waitForApp } from "./session";

const SAMPLE = path.join(__dirname, "../../docs/import-sample.xlsx");

test("an import with preview: map, check, apply the valid rows, report, arrears in the grid", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.goto("/staff/people");
  await waitForApp(page);
  await page.getByTestId("import-link").click();
  await expect(page).toHaveURL(/\/staff\/people\/import$/);
  await waitForApp(page);
  await page.getByLabel("Дом").selectOption({ label: "Садовая, 3" });
  await page.getByLabel("Источник (учётная система)").fill("Расчётный центр");
  // Without a file: a Russian message, not the browser's bubble.
  await expect(page.getByTestId("import-file-name")).toHaveText("Файл не выбран");
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-error")).toContainText("Выберите файл.");
  await page.getByLabel("Файл CSV, XLSX, XLS или ODS").setInputFiles(SAMPLE);
  await expect(page.getByTestId("import-file-name")).toHaveText("import-sample.xlsx");
  await page.getByTestId("import-submit").click();
  await expect(page).toHaveURL(/\/staff\/people\/import\/\d+$/);
  await waitForApp(page);
  await expect(page.getByTestId("import-file")).toHaveText("import-sample.xlsx");
  await expect(page.getByTestId("import-status")).toHaveText("Сопоставление");
  // The columns were recognised from their headers; skipping e-mail is a choice the check keeps.
  const fields = page.getByTestId("import-field");
  await expect(fields).toHaveCount(12);
  await expect(fields.first()).toHaveValue("account");
  await page.getByLabel("E-mail").selectOption({ label: "Пропустить" });
  await page.getByTestId("import-check").click();
  await expect(page.getByLabel("E-mail")).toHaveValue("");
  await expect(page.getByTestId("import-would-create")).toContainText("18");
  await expect(page.getByTestId("import-rejected")).toContainText("1");
  const problem = page.getByTestId("import-report-row");
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText("11");
  await expect(problem).toContainText("Телефон");
  await expect(page.getByTestId("import-sample")).toContainText("Кузнецов Андрей Петрович");
  // All or nothing until the valid rows are chosen.
  await expect(page.getByTestId("import-start")).toBeDisabled();
  await page.getByTestId("import-valid-only").check();
  await page.getByTestId("import-start").click();
  await expect(page.getByTestId("import-status")).toHaveText("Готово", { timeout: 20_000 });
  await expect(page.getByTestId("import-created")).toContainText("18");
  await expect(page.getByTestId("import-rejected")).toContainText("1");
  await page.getByRole("button", { name: "С ошибками" }).click();
  await expect(page.getByTestId("import-report-row")).toHaveCount(1);
  await expect(page.getByTestId("import-report-row")).toContainText("отклонено");
  // The rejected row names its flat and person and shows the value as typed in the file.
  await expect(page.getByTestId("import-row-who")).toHaveText("8 · Васильев Сергей Михайлович");
  await expect(page.getByTestId("import-row-values")).toContainText("«8 999 123 45»");
  await page.getByRole("button", { name: "Добавлено" }).click();
  await expect(page.getByTestId("import-report-row")).toHaveCount(18);
  await expect(page.getByTestId("import-report-row").first()).toContainText("клиент добавлен");
  // The arrears reach the шахматка: flat 7 owes 56 230,40 ₽.
  await page.goto("/staff/buildings");
  await waitForApp(page);
  await page.getByTestId("building-card").filter({ hasText: "Садовая, 3" }).click();
  await waitForApp(page);
  await page.getByTestId("mode-arrears").click();
  await expect(page.getByTestId("grid-legend")).toContainText("долг от 10 000 ₽");
  const flat7 = page.locator('[data-testid="unit-cell"][data-unit="7"]');
  await expect(flat7).toHaveClass(/bg-danger-100/);
  // The colour itself, not only the class name: a class without its colour token is dropped.
  await expect(flat7).toHaveCSS("background-color", "rgb(254, 226, 226)");
  await expect(page.getByTestId("grid-legend").locator(".bg-danger-100").first()).toHaveCSS("background-color", "rgb(254, 226, 226)");
  await expect(flat7).toHaveAttribute("title", /56\s230,40/);
  // The mode is in the URL and survives the unit page and the way back.
  await expect(page).toHaveURL(/colour=arrears/);
  await expect(page.locator('[data-testid="unit-cell"][data-unit="К1"]')).toHaveCount(1);
  // The unit page: the debt with its source, the import rows in the history.
  await flat7.click();
  await expect(page.getByTestId("unit-name")).toHaveText("Квартира 7");
  await expect(page.getByTestId("unit-balance-amount")).toHaveText(/Долг 56\s230,40/);
  await expect(page.getByTestId("unit-balance")).toContainText("по данным «Расчётный центр»");
  const history = page.getByTestId("unit-history");
  await expect(history.getByTestId("unit-event")).toHaveCount(2);
  await expect(history).toContainText("Импорт: добавлено");
  await expect(history).toContainText("строка 9");
  await expect(history).toContainText("задолженность");
  await page.getByTestId("unit-back").click();
  await expect(page.getByTestId("mode-arrears")).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator('[data-testid="unit-cell"][data-unit="7"]')).toHaveCSS("background-color", "rgb(254, 226, 226)");
  expect(errors, "console errors").toEqual([]);
});

test("the same file again changes nothing; a broken file is refused with a reason", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.goto("/staff/people/import");
  await waitForApp(page);
  await page.getByLabel("Дом").selectOption({ label: "Садовая, 3" });
  await page.getByLabel("Файл CSV, XLSX, XLS или ODS").setInputFiles({
    name: "broken.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: Buffer.from("PK\u0003\u0004 this is not a workbook"),
  });
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-error")).toHaveText(/Файл повреждён/);
  await expect(page).toHaveURL(/\/staff\/people\/import$/);
  await page.getByLabel("Источник (учётная система)").fill("Расчётный центр");
  await page.getByLabel("Файл CSV, XLSX, XLS или ODS").setInputFiles(path.join(__dirname, "../../docs/import-sample.csv"));
  await page.getByTestId("import-submit").click();
  await expect(page).toHaveURL(/\/staff\/people\/import\/\d+$/);
  await waitForApp(page);
  // The e-mail column stays skipped: the mapping was remembered for the source.
  await expect(page.getByLabel("E-mail")).toHaveValue("");
  await expect(page.getByTestId("import-encoding-used")).toContainText("UTF-8");
  await page.getByTestId("import-check").click();
  await expect(page.getByTestId("import-unchanged")).toContainText("18");
  await expect(page.getByTestId("import-would-create")).toContainText("0");
  await expect(page.getByTestId("import-would-update")).toContainText("0");
  // The refused file is a 422 the browser logs; anything else is a fault.
  expect(errors.filter((e) => !e.includes("status of 422")), "console errors").toEqual([]);
});

test.describe("import screens at phone, tablet and desktop widths", () => {
  for (const width of [360, 800, 1366]) {
    test(`the import list and a finished import fit ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
      const check = async (name: string) => {
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name}: horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `screenshots/${name}-${width}.png`, fullPage: true });
      };
      await signIn(page, "admin");
      await page.goto("/staff/people/import");
      await waitForApp(page);
      await expect(page.getByTestId("import-jobs").locator("tr").first()).toBeVisible();
      await check("staff-import");
      await page.getByTestId("import-jobs").getByRole("link", { name: "import-sample.xlsx" }).click();
      await waitForApp(page);
      await expect(page.getByTestId("import-result")).toBeVisible();
      await check("staff-import-done");
      await page.goto("/staff/people/import");
      await waitForApp(page);
      await page.getByTestId("import-jobs").getByRole("link", { name: "import-sample.csv" }).first().click();
      await waitForApp(page);
      await expect(page.getByTestId("import-columns")).toBeVisible();
      await check("staff-import-mapping");
    });
  }
});
