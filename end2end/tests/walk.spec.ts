import { expect, Page, test } from "@playwright/test";
import { watchConsole } from "./console";
import { signIn, signInResident, waitForApp } from "./session";

/**
 * Every page, opened as its users open it: no console error anywhere (a Content-Security-Policy
 * violation, a failed request, a hydration panic are all console errors), and a missing record
 * is a 404 page without a useless "retry".
 */

/** The href of the first link matching `selector` on the current page. */
async function firstHref(page: Page, selector: string): Promise<string> {
  const href = await page.locator(selector).first().getAttribute("href");
  expect(href, `a link ${selector}`).toBeTruthy();
  return href as string;
}

async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await waitForApp(page);
  // Let late resources and effects run: their errors count too.
  await page.waitForLoadState("networkidle");
}

test("every staff page opens without a console error", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  await signIn(page, "admin");
  const pages = [
    "/staff",
    "/staff/companies",
    "/staff/buildings",
    "/staff/buildings/areas",
    "/staff/people",
    "/staff/people/new",
    "/staff/people/duplicates",
    "/staff/people/import",
    "/staff/search?q=Лесная",
    "/staff/phonebook",
    "/staff/system",
    "/staff/admin/roles",
    "/staff/admin/users",
    "/staff/admin/audit",
    "/staff/admin/org",
    "/staff/account",
  ];
  for (const path of pages) {
    await visit(page, path);
    expect(errors, `console errors on ${path}`).toEqual([]);
  }
  // The pages of one record, reached the way a user reaches them.
  await visit(page, "/staff/buildings");
  const building = await firstHref(page, '[data-testid="building-card"]');
  await visit(page, building);
  expect(errors, `console errors on ${building}`).toEqual([]);
  const unit = await firstHref(page, '[data-testid="unit-cell"]');
  await visit(page, unit);
  expect(errors, `console errors on ${unit}`).toEqual([]);
  await visit(page, "/staff/people");
  const person = await firstHref(page, '[data-testid="person-link"]');
  await visit(page, person);
  expect(errors, `console errors on ${person}`).toEqual([]);
  await visit(page, "/staff/admin/roles");
  const role = await firstHref(page, '[data-testid="role-row"] a');
  await visit(page, role);
  expect(errors, `console errors on ${role}`).toEqual([]);
});

test("a missing or foreign record is a 404 page without a retry", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  for (const path of ["/staff/people/999999", "/staff/units/999999", "/staff/buildings/999999", "/staff/admin/roles/999999", "/staff/people/import/999999"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await waitForApp(page);
    await expect(page.getByTestId("missing-state")).toContainText("Ничего не найдено");
    await expect(page.getByRole("button", { name: "Повторить" })).toHaveCount(0);
  }
  // Another company's building answers exactly like a missing one.
  await page.goto("/staff/buildings");
  await waitForApp(page);
  const theirs = await firstHref(page, '[data-testid="building-card"]');
  await page.context().clearCookies();
  await signIn(page, "admin2");
  const response = await page.goto(theirs);
  expect(response?.status(), theirs).toBe(404);
  await expect(page.getByTestId("missing-state")).toBeVisible();
  // The browser asked for missing records on purpose: those 404s are the only console errors.
  expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
});

test("the cabinet and the guard desk open without a console error", async ({ page, browser }) => {
  const errors = watchConsole(page);
  await signInResident(page);
  await visit(page, "/cabinet");
  await visit(page, "/cabinet/account");
  expect(errors, "cabinet").toEqual([]);

  const guardContext = await browser.newContext();
  const guard = await guardContext.newPage();
  const guardErrors = watchConsole(guard);
  await signIn(guard, "guard", { guardPost: true });
  await visit(guard, "/guard");
  expect(guardErrors, "guard desk").toEqual([]);
  await guardContext.close();
});

test("the guard ends the shift from the desk", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "guard", { guardPost: true });
  await expect(page).toHaveURL(/\/guard$/);
  await page.getByTestId("guard-end-shift").click();
  await expect(page).toHaveURL(/\/login\?mode=guard$/);
  await waitForApp(page);
  // The session is gone: the desk asks for a sign-in again.
  await page.goto("/guard");
  await expect(page).toHaveURL(/\/login/);
  expect(errors).toEqual([]);
});

test("the home shows the counts the registers show and leads to what needs attention", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Сегодня");
  const number = async (id: string) =>
    Number(((await page.getByTestId(id).locator("p").first().textContent()) ?? "").replace(/\s/g, ""));
  const buildings = await number("count-buildings");
  expect(buildings).toBeGreaterThan(0);
  expect(await number("count-people")).toBeGreaterThan(0);
  // Large debts (the imports before put arrears on the grid) open the grid in the arrears colours.
  const debt = page.getByTestId("home-debts").getByRole("link").first();
  await expect(debt).toContainText("₽");
  await debt.click();
  await expect(page).toHaveURL(/\/staff\/buildings\/\d+\?colour=arrears$/);
  await waitForApp(page);
  await expect(page.getByTestId("grid-legend")).toContainText("долг от 10 000 ₽");
  // The home's count is the registry's.
  await page.goto("/staff/buildings");
  await waitForApp(page);
  await expect(page.getByTestId("building-card")).toHaveCount(buildings);
  expect(errors, "console errors").toEqual([]);
});

test("the top bar suggests units with their people and clients while typing", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "dispatcher");
  await page.getByTestId("global-search").fill("Лесная 12 кв 7");
  const list = page.getByTestId("search-suggest");
  await expect(list.getByTestId("suggestion").first()).toContainText("Лесная, 12 — 7");
  await expect(list.getByTestId("suggestion").first()).toContainText("Семёнова");
  await page.getByTestId("global-search").press("ArrowDown");
  await page.getByTestId("global-search").press("Enter");
  await expect(page).toHaveURL(/\/staff\/units\/\d+$/);
  await expect(page.getByTestId("unit-name")).toHaveText("Квартира 7");
  await expect(page.getByTestId("search-suggest")).toHaveCount(0);
  // A client by part of the phone; Escape closes the list, Enter alone opens all results.
  await page.getByTestId("global-search").fill("555-12-34");
  await expect(page.getByTestId("search-suggest").getByTestId("suggestion").first()).toContainText("Семёнова Ольга Викторовна");
  await page.getByTestId("global-search").press("Escape");
  await expect(page.getByTestId("search-suggest")).toHaveCount(0);
  await page.getByTestId("global-search").press("Enter");
  await expect(page).toHaveURL(/\/staff\/search\?q=555-12-34$/);
  await expect(page.getByTestId("search-people")).toContainText("Семёнова Ольга Викторовна");
  // The results page names who lives in a unit found by address.
  await page.goto("/staff/search?q=" + encodeURIComponent("Лесная 12 кв 7"));
  await waitForApp(page);
  await expect(page.getByTestId("unit-hit-people")).toContainText("Семёнова Ольга Викторовна");
  expect(errors, "console errors").toEqual([]);
});
