// Buildings in the browser: the list and the grid (шахматка) with colour modes, the entrance filter
// and a unit's panel; generating a new building; a resident's claim confirmed by staff; an invited
// phone signing in for the first time; the company registry's edit form and types.
import { expect, test } from "@playwright/test";
import * as fs from "node:fs";
import { watchConsole } from "./console";
import { signIn, signInResident, waitForApp } from "./session";

const port = Number(process.env.E2E_PORT ?? 3111);
const spool = `/tmp/platforma-e2e-${port}/sms.jsonl`;

function lastCode(phone: string): string {
  const lines = fs.existsSync(spool) ? fs.readFileSync(spool, "utf8").trim().split("\n") : [];
  const sms = lines.map((l) => JSON.parse(l)).filter((m) => m.to === phone).pop();
  expect(sms, `an SMS to ${phone}`).toBeTruthy();
  return /\b(\d{6})\b/.exec(sms.text)![1];
}

test("the grid switches colour modes, filters entrances and opens a unit", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.getByTestId("nav-buildings").first().click();
  await expect(page).toHaveURL(/\/staff\/buildings$/);
  await expect(page.getByTestId("building-card")).toHaveCount(3);
  await page.getByTestId("building-card").filter({ hasText: "Лесная, 12" }).click();
  await expect(page.getByTestId("building-name")).toHaveText("Лесная, 12");
  // 4 entrances × (2 non-residential + 8 floors × 4 flats).
  await expect(page.getByTestId("unit-cell")).toHaveCount(136);
  const flat5 = page.locator('[data-testid=unit-cell][data-unit="5"]');
  await expect(flat5).toHaveClass(/bg-success-100/);
  await page.getByTestId("mode-kind").click();
  await expect(page.getByTestId("mode-kind")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("grid-legend")).toContainText("Нежилое помещение");
  await expect(flat5).not.toHaveClass(/bg-success-100/);
  await expect(page.locator('[data-testid=unit-cell][data-unit="Н1"]')).toHaveClass(/bg-info-100/);
  await page.getByTestId("entrance-filter").selectOption({ label: "Подъезд 2" });
  await expect(page.getByTestId("unit-cell")).toHaveCount(34);
  await page.getByTestId("entrance-filter").selectOption({ label: "все" });
  // A cell is a link to the unit page; the colour mode goes along for the way back.
  await flat5.click();
  await expect(page).toHaveURL(/\/staff\/units\/\d+\?colour=kind$/);
  await expect(page.getByTestId("unit-name")).toHaveText("Квартира 5");
  await expect(page.getByTestId("unit-place")).toContainText("Подъезд 1");
  await expect(page.getByTestId("unit-residents").getByTestId("resident-link")).toContainText("+7 900 000-00-01");
  await expect(page.getByTestId("unit-requests")).toHaveCount(0);
  await page.getByTestId("unit-form").getByLabel("Площадь, м²").fill("52,3");
  await page.getByTestId("save-unit").click();
  await expect(page.getByTestId("toast").filter({ hasText: "Помещение сохранено" })).toBeVisible();
  const history = page.getByTestId("unit-history");
  await expect(history.getByTestId("unit-event").first()).toContainText("Изменены данные помещения");
  await expect(history.getByTestId("unit-event").first()).toContainText(/Площадь, м²: .* → 52,3/);
  // Back to the шахматка: the unit is marked and its tooltip shows the new area.
  await page.getByTestId("unit-back").click();
  await expect(page).toHaveURL(/\/staff\/buildings\/\d+\?unit=\d+/);
  await expect(flat5).toHaveAttribute("title", /52,3 м²/);
  await expect(flat5).toHaveAttribute("aria-current", "true");
  expect(errors, "the page ran without console errors (hydration included)").toEqual([]);
});

test("an administrator generates a new building", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.goto("/staff/buildings");
  await waitForApp(page);
  await page.getByTestId("new-building").click();
  const form = page.getByTestId("building-form");
  await form.getByLabel("Город").fill("Москва");
  await form.getByLabel("Улица").fill("Тестовая улица");
  await form.getByLabel("Дом", { exact: true }).fill("9");
  await form.getByLabel("Подъездов").fill("2");
  await form.getByLabel("Этажей").fill("5");
  await form.getByLabel("Квартир на этаже").fill("4");
  await expect(page.getByTestId("building-total")).toHaveText("Всего помещений: 40");
  await form.getByLabel("Этажей").fill("500");
  await page.getByTestId("create-building").click();
  await expect(form.getByRole("alert")).toContainText("Этажей: от 1 до 100.");
  await form.getByLabel("Этажей").fill("5");
  await page.getByTestId("create-building").click();
  await expect(page).toHaveURL(/\/staff\/buildings\/\d+$/);
  await expect(page.getByTestId("building-name")).toHaveText("Тестовая улица, 9");
  await expect(page.getByTestId("unit-cell")).toHaveCount(40);
  // The grid editor: split a flat, merge it back, add a floor.
  await page.locator('[data-testid=unit-cell][data-unit="1"]').click();
  await expect(page.getByTestId("unit-name")).toHaveText("Квартира 1");
  await page.getByTestId("layout-tools").locator("summary").click();
  await page.getByLabel("Номер нового помещения").fill("1а");
  await page.getByTestId("split-unit").click();
  await expect(page.getByTestId("toast").filter({ hasText: "Помещение разделено" })).toBeVisible();
  await expect(page.getByTestId("unit-history")).toContainText("1 → 1 + 1а");
  await page.getByTestId("unit-back").click();
  await expect(page.getByTestId("unit-cell")).toHaveCount(41);
  await page.locator('[data-testid=unit-cell][data-unit="1"]').click();
  await page.getByTestId("layout-tools").locator("summary").click();
  await page.getByTestId("merge-unit").filter({ hasText: "1а" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Помещения объединены" })).toBeVisible();
  await expect(page.getByTestId("merge-unit").filter({ hasText: "1а" })).toHaveCount(0);
  await page.getByTestId("unit-back").click();
  await expect(page.getByTestId("unit-cell")).toHaveCount(40);
  await page.getByTestId("add-floor").locator("summary").click();
  await page.getByTestId("add-floor").getByLabel("Квартир на этаже").fill("3");
  await page.getByTestId("add-floor-submit").click();
  await expect(page.getByText("Этаж добавлен")).toBeVisible();
  await expect(page.getByTestId("unit-cell")).toHaveCount(43);
  await expect(page.locator('[data-testid=unit-cell][data-unit="43"]')).toBeVisible();
  expect(errors, "no console errors").toEqual([]);
});

test("a resident's claim waits for staff and is confirmed", async ({ page }) => {
  await signInResident(page);
  const mine = page.getByTestId("my-units");
  await expect(mine.getByTestId("my-unit").filter({ hasText: "пом. 5" })).toContainText("Лесная");
  // The demo resident lives with two companies: units by company, buildings named with theirs.
  await expect(mine.getByTestId("my-units-company")).toHaveCount(2);
  await mine.getByTestId("claim-open").click();
  await mine.getByLabel("Дом").selectOption({ label: "УК «Северный квартал» — Москва, Садовая улица, д. 3" });
  await mine.getByLabel("Номер квартиры или помещения").fill("404");
  await mine.getByTestId("claim-send").click();
  await expect(mine.getByRole("alert")).toContainText("нет помещения с таким номером");
  await mine.getByLabel("Номер квартиры или помещения").fill("2");
  await mine.getByTestId("claim-send").click();
  await expect(page.getByText("Заявка отправлена")).toBeVisible();
  await expect(mine.getByTestId("my-unit").filter({ hasText: "пом. 2" })).toContainText("на проверке у УК");
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/cabinet\/login/);

  await signIn(page, "service");
  await page.goto("/staff/buildings");
  await waitForApp(page);
  const claim = page.getByTestId("claim").filter({ hasText: "Садовая, 3 — 2" });
  await expect(claim).toBeVisible();
  await claim.getByTestId("claim-accept").click();
  await expect(page.getByText("Готово")).toBeVisible();
  await expect(claim).toHaveCount(0);
});

test("an invited phone signs in with a code and finds its flat", async ({ page }) => {
  await page.goto("/cabinet/login");
  await waitForApp(page);
  await page.getByLabel("Номер телефона").fill("+7 900 000-00-03");
  await page.getByTestId("resident-submit").click();
  await expect(page.getByTestId("code-sent")).toBeVisible();
  await page.getByLabel("Код из SMS").fill(lastCode("+79000000003"));
  await page.getByTestId("resident-submit").click();
  await expect(page).toHaveURL(/\/cabinet$/);
  await waitForApp(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Анна");
  await expect(page.getByTestId("my-unit")).toContainText("пом. 6");
  await expect(page.getByTestId("my-unit")).toContainText("подтверждено");
});

test("a resident of one company is invited by another and accepts in the cabinet", async ({ browser }) => {
  // The second company's resident is signed in on their phone.
  const resident = await browser.newPage();
  await signInResident(resident, "+79000000002");
  await expect(resident.getByTestId("my-units-company")).toHaveCount(1);
  await expect(resident.getByTestId("my-invitations")).toHaveCount(0);

  // The first company's administrator invites that phone to a flat from the unit page.
  const staff = await browser.newPage();
  const errors = watchConsole(staff);
  await signIn(staff, "admin");
  await staff.goto("/staff/search?q=" + encodeURIComponent("Лесная 12 кв 20"));
  await waitForApp(staff);
  await staff.getByTestId("unit-hit").first().click();
  await expect(staff.getByTestId("unit-name")).toHaveText("Квартира 20");
  await waitForApp(staff);
  const form = staff.getByTestId("invite-form");
  await form.locator("summary").click();
  await form.getByLabel("Телефон").fill("+7 900 000-00-02");
  await form.getByLabel("Имя").fill("Кузнецова Ирина");
  await staff.getByTestId("send-invitation").click();
  await expect(staff.getByText("Приглашение отправлено по SMS.")).toBeVisible();
  expect(errors, "console errors").toEqual([]);
  const sms = fs.readFileSync(spool, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((m) => m.to === "+79000000002").pop();
  expect(sms.text).toContain(`http://127.0.0.1:${port}/cabinet/login`);

  // The resident sees the invitation and accepts it with one tap; the flat joins the cabinet.
  await resident.reload();
  await waitForApp(resident);
  const invitations = resident.getByTestId("my-invitations");
  await expect(invitations).toContainText("Вас приглашают");
  await expect(invitations.getByTestId("my-invitation")).toContainText("Москва, улица Лесная, д. 12, пом. 20");
  await expect(invitations.getByTestId("my-invitation")).toContainText("от УК «Северный квартал»");
  for (const width of [360, 800, 1366]) {
    await resident.setViewportSize({ width, height: width < 500 ? 780 : 900 });
    const overflow = await resident.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
    await resident.screenshot({ path: `screenshots/cabinet-invitation-${width}.png`, fullPage: true });
  }
  await resident.getByTestId("invitations-accept").click();
  await expect(resident.getByText("Помещения добавлены в кабинет.")).toBeVisible();
  await expect(resident.getByTestId("my-invitations")).toHaveCount(0);
  await expect(resident.getByTestId("my-units-company")).toHaveCount(2);
  await expect(resident.getByTestId("my-unit").filter({ hasText: "пом. 20" })).toContainText("подтверждено");
  await resident.screenshot({ path: "screenshots/cabinet-two-companies-1366.png", fullPage: true });
});

test("a company administrator edits the company card; the operator adds a company type", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/staff/companies");
  await waitForApp(page);
  await page.getByTestId("company-row").filter({ hasText: "Северный квартал" }).click();
  await page.getByTestId("edit-company").click();
  const form = page.getByTestId("company-form");
  await expect(form).toContainText("Тип, ИНН и холдинг меняет оператор платформы.");
  await form.getByLabel("Эл. почта").fill("не-почта");
  await page.getByTestId("save-company").click();
  await expect(form.getByRole("alert")).toContainText("Проверьте адрес эл. почты");
  await form.getByLabel("Эл. почта").fill("dispatch@sever.example");
  await page.getByTestId("save-company").click();
  await expect(page.getByText("Компания сохранена")).toBeVisible();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, "operator");
  await page.goto("/staff/companies");
  await waitForApp(page);
  await page.getByLabel("Название вида").fill("Лифтовая организация");
  await page.getByTestId("add-type").click();
  await expect(page.getByTestId("company-type")).toContainText(["Лифтовая организация · 0"]);
});

test.describe("buildings screens at phone, tablet and desktop widths", () => {
  for (const width of [360, 800, 1366]) {
    test(`buildings, the tower's grid and the cabinet fit ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
      const check = async (name: string) => {
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name}: horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `screenshots/${name}-${width}.png`, fullPage: name !== "staff-building-grid" });
      };
      await signIn(page, "admin");
      await page.goto("/staff/buildings");
      await waitForApp(page);
      await expect(page.getByTestId("building-card").first()).toBeVisible();
      await check("staff-buildings");
      await page.getByTestId("building-card").filter({ hasText: "ЖК" }).click();
      await expect(page.getByTestId("unit-cell")).toHaveCount(1320);
      await check("staff-building-grid");
      await page.goto("/staff/buildings");
      await waitForApp(page);
      await page.getByTestId("building-card").filter({ hasText: "Лесная, 12" }).click();
      await page.locator('[data-testid=unit-cell][data-unit="7"]').click();
      await expect(page.getByTestId("unit-people")).toBeVisible();
      await check("staff-unit-page");
      await page.goto("/staff/companies");
      await waitForApp(page);
      await check("staff-companies");
      await page.context().clearCookies();
      await signInResident(page);
      await expect(page.getByTestId("my-unit").first()).toBeVisible();
      await check("cabinet-home");
    });
  }
});

test("an administrator groups buildings into a work area", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.goto("/staff/buildings");
  await waitForApp(page);
  await page.getByTestId("work-areas-link").click();
  await expect(page).toHaveURL(/\/staff\/buildings\/areas$/);
  await expect(page.getByTestId("work-area")).toHaveCount(2);
  await page.getByTestId("new-area").click();
  const form = page.getByTestId("area-form");
  await form.getByLabel("Название зоны").fill("Северный участок");
  await form.getByLabel("Садовая, 3").check();
  await page.getByTestId("save-area").click();
  await expect(form.getByRole("alert")).toContainText("Зона с таким названием уже есть.");
  await form.getByLabel("Название зоны").fill("Южный участок");
  await page.getByTestId("save-area").click();
  await expect(page.getByText("Рабочая зона сохранена")).toBeVisible();
  await expect(page.getByTestId("work-area").filter({ hasText: "Южный участок" })).toContainText("Садовая, 3");
  // A full load of the page hydrates cleanly too.
  await page.reload();
  await waitForApp(page);
  await expect(page.getByTestId("work-area")).toHaveCount(3);
  // The refused duplicate is a 422 the browser logs; anything else is a fault.
  expect(errors.filter((e) => !e.includes("status of 422")), "no console errors").toEqual([]);
});
