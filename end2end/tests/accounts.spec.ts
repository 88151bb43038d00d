// Accounts in the browser: a resident signs in with a one-time SMS code (read from the SMS spool
// file the test server writes), residents stay out of staff pages, a staff member changes their
// password on the account page, and an administrator arranges departments, positions and access.
import { expect, Page, test } from "@playwright/test";
import * as fs from "node:fs";
import { DEMO_PASSWORD, DEMO_RESIDENT_PHONE, signIn, signInResident, waitForApp } from "./session";

const port = Number(process.env.E2E_PORT ?? 3111);
const spool = `/tmp/platforma-e2e-${port}/sms.jsonl`;

/** The code in the newest SMS to `phone`. */
function lastCode(phone: string): string {
  const lines = fs.existsSync(spool) ? fs.readFileSync(spool, "utf8").trim().split("\n") : [];
  const sms = lines.map((l) => JSON.parse(l)).filter((m) => m.to === phone).pop();
  expect(sms, `an SMS to ${phone}`).toBeTruthy();
  return /\b(\d{6})\b/.exec(sms.text)![1];
}

async function signOutOfCabinet(page: Page) {
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/cabinet\/login/);
}

test.describe("residents", () => {
  test("a resident signs in with a code from an SMS and lands in the cabinet", async ({ page }) => {
    await page.goto("/cabinet");
    await expect(page).toHaveURL(/\/cabinet\/login\?next=/);
    await waitForApp(page);
    await page.getByLabel("Номер телефона").fill("8 (900) 000-00-01");
    await page.getByTestId("resident-submit").click();
    await expect(page.getByTestId("code-sent")).toContainText("+7 900 000-00-01");
    await expect(page.getByTestId("resend-code")).toBeDisabled();
    await page.getByLabel("Код из SMS").fill("000000" === lastCode(DEMO_RESIDENT_PHONE) ? "111111" : "000000");
    await page.getByTestId("resident-submit").click();
    await expect(page.getByTestId("sign-in-error")).toContainText("Код не подошёл");
    await page.getByLabel("Код из SMS").fill(lastCode(DEMO_RESIDENT_PHONE));
    await page.getByTestId("resident-submit").click();
    await expect(page).toHaveURL(/\/cabinet$/);
    await waitForApp(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Здравствуйте, .+!$/);
    await signOutOfCabinet(page);
  });

  test("a resident cannot open a staff page by its address", async ({ page }) => {
    await signInResident(page);
    for (const path of ["/staff", "/staff/admin/users", "/guard", "/login"]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/cabinet$/);
    }
  });

  test("a wrong resident password says so without revealing the account", async ({ page }) => {
    await page.goto("/cabinet/login");
    await waitForApp(page);
    await page.getByTestId("mode-password").click();
    await page.getByLabel("Номер телефона").fill("+7 900 555-00-00");
    await page.getByLabel("Пароль").fill("not-the-password");
    await page.getByTestId("resident-submit").click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("Неверный номер телефона или пароль.");
  });
});

test.describe("profile and security", () => {
  test("a staff member changes the password and signs in with the new one", async ({ page }) => {
    const fresh = "new-secret-password-1";
    await signIn(page, "marketer");
    await page.getByTestId("user-name").click();
    await expect(page).toHaveURL(/\/staff\/account$/);
    await waitForApp(page);
    await page.getByLabel("Текущий пароль").fill("wrong-password-0");
    await page.getByLabel("Новый пароль").fill(fresh);
    await page.getByTestId("change-password").click();
    await expect(page.getByText("Текущий пароль неверен.")).toBeVisible();
    await page.getByLabel("Текущий пароль").fill(DEMO_PASSWORD);
    await page.getByTestId("change-password").click();
    await expect(page.getByText("Пароль изменён")).toBeVisible();
    await expect(page.getByTestId("my-session").filter({ hasText: "это устройство" })).toHaveCount(1);

    // Sign out everywhere, then in again with the new password, and restore the demo password.
    await page.getByTestId("sign-out-everywhere").click();
    await page.getByTestId("confirm").click();
    await expect(page).toHaveURL(/\/login$/);
    await waitForApp(page);
    await page.getByLabel("Логин").fill("marketer");
    await page.getByLabel("Пароль").fill(fresh);
    await page.getByTestId("sign-in-submit").click();
    await expect(page).toHaveURL(/\/staff$/);
    await page.goto("/staff/account");
    await waitForApp(page);
    await page.getByLabel("Текущий пароль").fill(fresh);
    await page.getByLabel("Новый пароль").fill(DEMO_PASSWORD);
    await page.getByTestId("change-password").click();
    await expect(page.getByText("Пароль изменён")).toBeVisible();
  });
});

test.describe("departments, positions and access", () => {
  test("an administrator adds a position under another and gives a person a department", async ({ page }) => {
    await signIn(page, "admin");
    await page.getByTestId("nav-org").first().click();
    await expect(page).toHaveURL(/\/staff\/admin\/org$/);
    await expect(page.getByTestId("group")).toContainText(["Диспетчерская служба"]);
    const chief = page.getByTestId("position").filter({ hasText: "Главный инженер" });
    await chief.getByRole("button", { name: "Добавить подчинённую" }).click();
    await page.getByLabel("Название должности").fill("Инженер-теплотехник");
    await expect(page.getByLabel("Подчиняется")).toHaveValue(/\d+/);
    await page.getByTestId("save-position").click();
    await expect(page.getByTestId("position").filter({ hasText: "Инженер-теплотехник" })).toBeVisible();

    await page.goto("/staff/admin/users");
    await waitForApp(page);
    const row = page.getByTestId("user-row").filter({ hasText: "technician" });
    await row.getByTestId("edit-access").click();
    const form = page.getByTestId("access-form");
    await form.getByLabel("Диспетчерская служба").check();
    await form.getByTestId("save-access").click();
    await expect(page.getByText("Доступ сохранён")).toBeVisible();
    await expect(page.getByTestId("user-row").filter({ hasText: "technician" })).toContainText("Диспетчерская служба");
  });
});

test.describe("account and organisation screens at phone, tablet and desktop widths", () => {
  for (const width of [360, 800, 1366]) {
    test(`/staff/admin/org fits ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
      await signIn(page, "admin");
      await page.goto("/staff/admin/org");
      await page.waitForLoadState("networkidle");
      await expect(page.getByTestId("position").first()).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `screenshots/staff-admin-org-${width}.png`, fullPage: true });
    });
  }
});
