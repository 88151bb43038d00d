import { expect, Page } from "@playwright/test";

/** The password of every demo account (see app/src/access/server/demo.rs). */
export const DEMO_PASSWORD = "demo-platforma";

/** Signs in through the sign-in page (a click that needs hydration) and waits for the home page. */
export async function signIn(page: Page, login: string, opts: { guardPost?: boolean; next?: string } = {}) {
  const params = new URLSearchParams();
  if (opts.guardPost) params.set("mode", "guard");
  if (opts.next) params.set("next", opts.next);
  const query = params.toString();
  await page.goto(`/login${query ? `?${query}` : ""}`);
  await waitForApp(page);
  await page.getByLabel("Логин").fill(login);
  await page.getByLabel("Пароль").fill(DEMO_PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await expect(page).not.toHaveURL(/\/login/);
  // The home page is a fresh document: wait until it is live before anyone clicks on it.
  await waitForApp(page);
}

/** Waits until the wasm app has hydrated the page (the app sets data-hydrated on <html>). */
export async function waitForApp(page: Page) {
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
}

/** A demo resident's phone (УК «Северный квартал»); see DEMO_RESIDENTS in demo.rs. */
export const DEMO_RESIDENT_PHONE = "+79000000001";

/** Signs a resident in on the cabinet's sign-in page with phone and password. */
export async function signInResident(page: Page, phone = DEMO_RESIDENT_PHONE) {
  await page.goto("/cabinet/login");
  await waitForApp(page);
  await page.getByTestId("mode-password").click();
  await page.getByLabel("Номер телефона").fill(phone);
  await page.getByLabel("Пароль").fill(DEMO_PASSWORD);
  await page.getByTestId("resident-submit").click();
  await expect(page).toHaveURL(/\/cabinet$/);
  await waitForApp(page);
}
