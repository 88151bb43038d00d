import { expect, test } from "@playwright/test";
import { watchConsole } from "./console";
import { DEMO_PASSWORD, signIn, waitForApp } from "./session";

test.describe("administration", () => {
  test("the role editor explains where each permission comes from and saves changes", async ({ page }) => {
    const errors = watchConsole(page);
    await signIn(page, "admin");
    await page.getByTestId("nav-roles").click();
    await expect(page).toHaveURL(/\/staff\/admin\/roles$/);
    await expect(page.getByTestId("role-row")).toHaveCount(11);
    await page.getByRole("link", { name: "Управляющий объектом" }).click();
    const effective = page.getByTestId("effective-permissions");
    // Own permissions, then those inherited from the dispatcher and from the base staff role.
    await expect(effective).toContainText("Ведение телефонного справочника");
    await expect(effective).toContainText("от роли «Диспетчер»");
    await expect(effective).toContainText("от роли «Сотрудник»");
    // Modules not built yet are not offered: their permissions are neither checkboxes nor listed.
    await expect(page.getByLabel("Приём звонков")).toHaveCount(0);
    await expect(effective).not.toContainText("Согласование пропусков");
    await expect(page.getByTestId("modules-not-installed")).toContainText("Заявки, Пропуска, Звонки");

    await page.getByLabel("Импорт из учётных систем").check();
    await page.getByTestId("role-save").click();
    await expect(page.getByTestId("toast")).toContainText("Роль сохранена");
    await expect(effective.locator("li", { hasText: "Импорт из учётных систем" })).toContainText("своё");
    expect(errors, "console errors").toEqual([]);
  });

  test("an administrator creates an employee who can then sign in, and deactivates them", async ({ page, browser }) => {
    await signIn(page, "admin");
    await page.getByTestId("nav-users").click();
    await page.getByTestId("new-user").click();
    const form = page.getByTestId("create-user-form");
    await form.getByLabel("ФИО").fill("Кузнецова Ольга Игоревна");
    await form.getByLabel("Логин").fill("o.kuznetsova");
    await form.getByLabel("Роль", { exact: true }).selectOption({ label: "Диспетчер" });
    await page.getByTestId("create-user").click();
    const password = (await page.getByTestId("password-value").textContent())?.trim() ?? "";
    expect(password).toMatch(/^[A-Za-z0-9]{14}$/);

    // The new employee signs in with the temporary password in another browser.
    const other = await browser.newContext();
    const theirs = await other.newPage();
    await theirs.goto("/login");
    await waitForApp(theirs);
    await theirs.getByLabel("Логин").fill("o.kuznetsova");
    await theirs.getByLabel("Пароль").fill(password);
    await theirs.getByTestId("sign-in-submit").click();
    await expect(theirs.getByTestId("profile-roles")).toContainText("Диспетчер");

    // Deactivation asks first, then ends the employee's session at once.
    const row = page.getByTestId("user-row").filter({ hasText: "o.kuznetsova" });
    await row.getByTestId("deactivate").click();
    await page.getByTestId("confirm").click();
    await expect(row).toContainText("Отключён");
    await theirs.reload();
    await expect(theirs).toHaveURL(/\/login/);
    await other.close();
  });

  test("the audit log reads as words, names its objects and filters by action", async ({ page }) => {
    await signIn(page, "admin");
    await page.goto("/staff/admin/audit?action=auth.sign_in");
    await waitForApp(page);
    await expect(page.getByTestId("zone-note")).toHaveText("Время — Москва (UTC+3)");
    await expect(page.getByTestId("audit-action").first()).toHaveText("Вход в систему");
    await expect(page.getByTestId("audit-row").filter({ hasText: "Изменена роль" })).toHaveCount(0);
    await expect(page.getByTestId("audit-object").first()).toContainText("Пользователь");
    // The filter offers actions by name, not by code.
    await expect(page.locator("#action option:checked")).toHaveText("Вход в систему");
    await page.locator("#action").selectOption({ label: "Изменена роль" });
    await page.getByRole("button", { name: "Найти" }).click();
    await expect(page).toHaveURL(/action=role\.update/);
    const role = page.getByTestId("audit-row").first();
    await expect(role.getByTestId("audit-action")).toHaveText("Изменена роль");
    await expect(role.getByTestId("audit-object").getByRole("link")).toHaveAttribute("href", /\/staff\/admin\/roles\/\d+$/);
    await expect(page.getByText("role.update")).toHaveCount(0);
  });

  test("a company's time zone sets the times its staff see", async ({ page }) => {
    await signIn(page, "admin2");
    await page.goto("/staff/companies");
    await waitForApp(page);
    await page.getByTestId("company-row").first().click();
    await page.getByTestId("edit-company").click();
    const form = page.getByTestId("company-form");
    await form.getByLabel("Часовой пояс").selectOption({ label: "Владивосток (UTC+10)" });
    await page.getByTestId("save-company").click();
    await expect(page.getByText("Компания сохранена")).toBeVisible();
    await page.goto("/staff/admin/audit?action=company.update");
    await waitForApp(page);
    await expect(page.getByTestId("zone-note")).toHaveText("Время — Владивосток (UTC+10)");
    const row = page.getByTestId("audit-row").first();
    await expect(row).toContainText("Часовой пояс: Москва (UTC+3) → Владивосток (UTC+10)");
    // The shown time is the stored UTC instant plus ten hours.
    const time = row.locator("time");
    const utc = new Date((await time.getAttribute("datetime")) ?? "");
    const local = new Date(utc.getTime() + 10 * 3600 * 1000);
    const hhmm = `${String(local.getUTCHours()).padStart(2, "0")}:${String(local.getUTCMinutes()).padStart(2, "0")}`;
    await expect(time).toContainText(hhmm);
  });

  test("a dispatcher has no administration in the menu and is refused by the server", async ({ page }) => {
    await signIn(page, "dispatcher");
    await expect(page.getByTestId("nav-roles")).toHaveCount(0);
    await page.goto("/staff/admin/users");
    // A page that is not for this role says so, with a way home and no useless "retry".
    await expect(page.getByTestId("missing-state")).toContainText("Нет доступа");
    await expect(page.getByRole("button", { name: "Повторить" })).toHaveCount(0);
    expect(DEMO_PASSWORD).toBeTruthy();
  });
});

test.describe("administration screens at phone, tablet and desktop widths", () => {
  for (const width of [360, 800, 1366]) {
    for (const path of ["/staff/admin/users", "/staff/admin/roles", "/staff/admin/roles/4", "/staff/admin/audit"]) {
      test(`${path} fits ${width} px`, async ({ page }) => {
        await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
        await signIn(page, "admin");
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `screenshots/${path.slice(1).replaceAll("/", "-")}-${width}.png`, fullPage: true });
      });
    }
  }
});
