import { expect, test } from "@playwright/test";
import { watchConsole } from "./console";
import { DEMO_PASSWORD, signIn, waitForApp } from "./session";

// Every demo role signs in and lands on its own home.
const homes: [string, RegExp, string][] = [
  ["admin", /\/staff$/, "Администратор"],
  ["dispatcher", /\/staff$/, "Диспетчер"],
  ["manager", /\/staff$/, "Управляющий объектом"],
  ["service", /\/staff$/, "Менеджер по работе с клиентами"],
  ["technician", /\/staff$/, "Техник"],
  ["concierge", /\/staff$/, "Консьерж"],
  ["marketer", /\/staff$/, "Маркетолог"],
  ["hq", /\/staff$/, "Клиентский сервис (головной офис)"],
  ["admin2", /\/staff$/, "Администратор"],
  ["lift", /\/staff$/, "Техник"],
];

test.describe("sign-in", () => {
  for (const [login, home, role] of homes) {
    test(`${login} lands on the workspace with the role ${role}`, async ({ page }) => {
      const errors = watchConsole(page);
      await signIn(page, login);
      await expect(page).toHaveURL(home);
      await expect(page.getByTestId("profile-roles")).toContainText(role);
      expect(errors, "console errors").toEqual([]);
    });
  }

  test("the guard signs the tablet in as a guard post and lands on the guard desk", async ({ page }) => {
    await signIn(page, "guard", { guardPost: true });
    await expect(page).toHaveURL(/\/guard$/);
    await expect(page.getByTestId("guard-link")).toHaveAttribute("data-state", "online");
    // A guard tablet cannot open the staff workspace by URL.
    await page.goto("/staff/companies");
    await expect(page).toHaveURL(/\/guard$/);
  });

  test("a wrong password is refused without saying whether the login exists", async ({ page }) => {
    await page.goto("/login");
    await waitForApp(page);
    await page.getByLabel("Логин").fill("admin");
    await page.getByLabel("Пароль").fill("not-the-password");
    await page.getByTestId("sign-in-submit").click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("Неверный логин или пароль.");
    await page.getByLabel("Логин").fill("nobody-here");
    await page.getByTestId("sign-in-submit").click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("Неверный логин или пароль.");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("a staff page asks for sign-in and returns to it afterwards", async ({ page }) => {
    await page.goto("/staff/system");
    await expect(page).toHaveURL(/\/login\?next=\/staff\/system$/);
    await waitForApp(page);
    await page.getByLabel("Логин").fill("admin");
    await page.getByLabel("Пароль").fill(DEMO_PASSWORD);
    await page.getByTestId("sign-in-submit").click();
    await expect(page).toHaveURL(/\/staff\/system$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Система");
  });

  test("the sidebar shows only what the role may open", async ({ page }) => {
    await signIn(page, "technician");
    await expect(page.getByTestId("nav-companies")).toBeVisible();
    await expect(page.getByTestId("nav-system")).toHaveCount(0);
  });

  test("sign-out ends the session", async ({ page }) => {
    await signIn(page, "dispatcher");
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/staff");
    await expect(page).toHaveURL(/\/login\?next=\/staff$/);
  });
});
