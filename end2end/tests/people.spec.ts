// People in the browser: the top-bar search (phone, plate, ё = е), the client card and its
// edits, a new person with the look-alike warning, the screen-pop address by phone, a unit's
// people in the шахматка, masked cards for staff without personal data, merging duplicates, and
// the screens at phone, tablet and desktop widths.
import { expect, test } from "@playwright/test";
import { watchConsole } from "./console";
import { signIn, waitForApp } from "./session";

async function topSearch(page: import("@playwright/test").Page, q: string) {
  await page.getByRole("heading", { level: 1 }).first().click();
  await page.keyboard.press("/");
  await expect(page.locator("#global-search")).toBeFocused();
  await page.locator("#global-search").fill(q);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/staff\/search\?q=/);
}

test("the top bar finds a client by phone and by plate and opens the card", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "dispatcher");
  await topSearch(page, "8 916 555-12-34");
  const people = page.getByTestId("search-people");
  await expect(people.getByTestId("people-rows").getByTestId("person-link")).toHaveText(["Семёнова Ольга Викторовна"]);
  await expect(people).toContainText("по телефону");
  await topSearch(page, "a123bc");
  await expect(page.getByTestId("search-people")).toContainText("по госномеру: А123ВС 77");
  await page.getByTestId("search-people").getByTestId("people-rows").getByTestId("person-link").first().click();
  await expect(page).toHaveURL(/\/staff\/people\/\d+$/);
  await expect(page.getByTestId("card-name")).toHaveText("Семёнова Ольга Викторовна");
  await expect(page.getByTestId("card-phone")).toHaveAttribute("href", "tel:+79165551234");
  await expect(page.getByTestId("card-vehicle")).toContainText("А123ВС 77");
  await expect(page.getByTestId("card-units")).toContainText("Лесная, 12 — 7");
  await expect(page.getByTestId("card-units")).toContainText("доля 1/2");
  // Modules that are not built yet have no empty sections on the card.
  await expect(page.getByTestId("card-requests")).toHaveCount(0);
  // Units by address: "Лесная 12 кв 7" opens the unit page.
  await topSearch(page, "Лесная 12 кв 7");
  await page.getByTestId("unit-hit").first().click();
  await expect(page.getByTestId("unit-name")).toHaveText("Квартира 7");
  await expect(page.getByTestId("unit-people")).toContainText("Семёнова Ольга Викторовна");
  // From the unit to the client card and back through the card's unit link.
  await page.getByTestId("unit-people").getByTestId("person-link").filter({ hasText: "Семёнова" }).click();
  await expect(page.getByTestId("card-name")).toHaveText("Семёнова Ольга Викторовна");
  await page.getByTestId("card-units").getByRole("link", { name: "Лесная, 12 — 7" }).click();
  await expect(page.getByTestId("unit-name")).toHaveText("Квартира 7");
  expect(errors, "console errors").toEqual([]);
});

test("a new client: the look-alike warning, then vehicles, notes and consents on the card", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.goto("/staff/people");
  await waitForApp(page);
  await page.getByTestId("new-person").click();
  await expect(page).toHaveURL(/\/staff\/people\/new$/);
  await waitForApp(page);
  const form = page.getByTestId("person-form");
  await form.getByTestId("create-person").click();
  await expect(page.getByTestId("person-error")).toHaveText("Укажите фамилию или имя.");
  // Игорь Семёнов's number: the look-alike is shown before anything is saved.
  await form.getByLabel("Фамилия").fill("Кравцова");
  await form.getByLabel("Имя").fill("Дарья");
  await form.getByLabel("Телефон", { exact: true }).fill("9165554321");
  await form.getByTestId("create-person").click();
  await expect(page.getByTestId("duplicates")).toContainText("Семёнов Игорь Петрович");
  await page.getByTestId("create-anyway").click();
  await expect(page).toHaveURL(/\/staff\/people\/\d+$/);
  await expect(page.getByTestId("card-name")).toHaveText("Кравцова Дарья");
  // A plate typed in Latin letters is stored in Cyrillic.
  const vehicles = page.getByTestId("card-vehicles");
  await vehicles.getByLabel("Госномер").fill("m 001 mm 777");
  await vehicles.getByTestId("add-vehicle").click();
  await expect(vehicles.getByTestId("card-vehicle")).toContainText("М001ММ 777");
  const notes = page.getByTestId("card-notes");
  await notes.getByPlaceholder("Новая заметка").fill("Дубль? Проверить у собственника.");
  await notes.getByTestId("add-note").click();
  await expect(notes.getByTestId("card-note")).toContainText("Дубль? Проверить у собственника.");
  const consents = page.getByTestId("card-consents");
  await consents.getByLabel("Дата").fill("2025-03-01");
  await consents.getByTestId("record-consent").click();
  await expect(consents.getByTestId("card-consent").first()).toContainText("получено 1 марта 2025");
  // The second kind, chosen with its radio button (its long name wraps instead of being cut).
  await consents.getByRole("radio", { name: "Рассылки и уведомления" }).check();
  await consents.getByLabel("Дата").fill("2025-04-02");
  await consents.getByTestId("record-consent").click();
  await expect(consents.getByTestId("card-consent").nth(1)).toContainText("получено 2 апреля 2025");
  // A unit by building and number, as a tenant with a period.
  await page.getByTestId("add-unit").click();
  const unit = page.getByTestId("add-unit-form");
  await unit.getByLabel("Дом").selectOption({ label: "Садовая, 3" });
  await unit.getByLabel("Номер помещения").fill("12");
  await unit.getByLabel("Кем приходится").selectOption({ label: "Арендатор" });
  await unit.getByLabel("С какого числа").fill("2025-06-01");
  await unit.getByLabel("По какое число").fill("2026-05-31");
  await unit.getByTestId("save-unit-link").click();
  await expect(page.getByTestId("card-unit")).toContainText("Садовая, 3 — 12");
  await expect(page.getByTestId("card-unit")).toContainText("по 31 мая 2026");
  await expect(page.getByTestId("card-history")).toContainText("Клиент привязан к помещению");
  expect(errors, "console errors").toEqual([]);
});

test("the screen-pop address opens the caller's card or offers a new one", async ({ page }) => {
  await signIn(page, "dispatcher");
  await page.goto("/people/by-phone/+79165551234");
  await expect(page).toHaveURL(/\/staff\/people\/\d+$/);
  await expect(page.getByTestId("card-name")).toHaveText("Семёнова Ольга Викторовна");
  await page.goto("/people/by-phone/89035550000");
  await waitForApp(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Звонит +7 903 555-00-00");
  await expect(page.getByTestId("empty-state")).toContainText("Номер не найден");
  await page.getByTestId("create-from-phone").click();
  await expect(page).toHaveURL(/\/staff\/people\/new\?phone=/);
  await waitForApp(page);
  await expect(page.getByLabel("Телефон", { exact: true })).toHaveValue("89035550000");
});

test("staff without personal-data rights see a masked card and cannot edit", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "concierge");
  await page.getByTestId("nav-people").first().click();
  await expect(page).toHaveURL(/\/staff\/people$/);
  await page.getByLabel("Найти клиента").fill("семенова ольга");
  await page.getByTestId("people-search").click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId("people-rows").getByTestId("person-link")).toHaveText(["Семёнова О. В."]);
  await expect(page.getByTestId("people-rows")).toContainText("*** ***-12-34");
  await page.getByTestId("people-rows").getByTestId("person-link").click();
  await expect(page.getByTestId("card-name")).toHaveText("Семёнова О. В.");
  await expect(page.getByText("без персональных данных")).toBeVisible();
  await expect(page.getByTestId("edit-person")).toHaveCount(0);
  await expect(page.getByTestId("add-vehicle")).toHaveCount(0);
  expect(errors, "console errors").toEqual([]);
});

test("duplicates are merged into one card", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.goto("/staff/people/duplicates");
  await waitForApp(page);
  const pair = page.getByTestId("duplicate-pair").filter({ hasText: "Орлов Денис Сергеевич" });
  await expect(pair).toHaveCount(1);
  await pair.getByTestId("merge").click();
  await expect(page.getByText("Карточки объединены.")).toBeVisible();
  await expect(page.getByTestId("duplicate-pair").filter({ hasText: "Орлов Денис Сергеевич" })).toHaveCount(0);
  expect(errors, "console errors").toEqual([]);
});

test.describe("people screens at phone, tablet and desktop widths", () => {
  for (const width of [360, 800, 1366]) {
    test(`the people list, a card and a new person fit ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
      const check = async (name: string) => {
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name}: horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `screenshots/${name}-${width}.png`, fullPage: true });
      };
      await signIn(page, "admin");
      await page.goto("/staff/people");
      await waitForApp(page);
      await expect(page.getByTestId("people-rows").getByTestId("person-link")).toHaveCount(50);
      await check("staff-people");
      await page.goto("/people/by-phone/+79165551234");
      await expect(page.getByTestId("card-name")).toBeVisible();
      await check("staff-person-card");
      await page.goto("/staff/people/new");
      await waitForApp(page);
      await check("staff-person-new");
      await page.goto("/staff/phonebook");
      await waitForApp(page);
      await expect(page.getByTestId("phonebook-entry").first()).toBeVisible();
      await check("staff-phonebook");
    });
  }
});

test("the phonebook: search by number, one-tap call, an administrator adds a contact", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.getByTestId("nav-phonebook").first().click();
  await expect(page).toHaveURL(/\/staff\/phonebook$/);
  await expect(page.getByTestId("phonebook-entry").first()).toContainText("Аварийные службы");
  await page.getByLabel("Найти в справочнике").fill("681-04");
  await page.getByTestId("phonebook-search").click();
  await expect(page.getByTestId("phonebook-entry")).toHaveCount(1);
  await expect(page.getByTestId("phonebook-entry")).toContainText("Аварийная газовая служба");
  await expect(page.getByTestId("phonebook-call").first()).toHaveAttribute("href", "tel:104");
  await page.getByTestId("new-entry").click();
  const form = page.getByTestId("entry-form");
  await form.getByLabel("Название или имя").fill("Сантехник Пётр");
  await form.getByTestId("save-entry").click();
  await expect(page.getByTestId("entry-error")).toHaveText("Укажите хотя бы один номер.");
  await form.getByLabel("Телефоны").fill("8 900 765-43-21");
  await form.getByLabel("Лесная, 12").check();
  await form.getByTestId("save-entry").click();
  await expect(page.getByText("Сохранено.")).toBeVisible();
  await page.goto("/staff/phonebook?q=%D0%BF%D1%91%D1%82%D1%80");
  await waitForApp(page);
  await expect(page.getByTestId("phonebook-entry")).toHaveCount(1);
  await expect(page.getByTestId("phonebook-entry")).toContainText("Лесная, 12");
  await expect(page.getByTestId("phonebook-call")).toHaveAttribute("href", "tel:+79007654321");
  expect(errors, "console errors").toEqual([]);
});
