// Personal data does not outlive the session: after signing out, nothing of a client card is in
// the browser's Cache Storage, and offline the card's address shows the offline page, not the
// card. And a sign-in never sends the browser to another site, whatever `next` says.
import { expect, test } from "@playwright/test";
import { watchConsole } from "./console";
import { signIn, waitForApp } from "./session";

const NAME = "Семёнова";

/** Every Cache Storage entry of this origin whose body mentions `text`, and the cache names. */
async function cachedWith(page: import("@playwright/test").Page, text: string) {
  return page.evaluate(async (needle) => {
    const names = await caches.keys();
    const hits: string[] = [];
    const urls: string[] = [];
    for (const name of names) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        urls.push(request.url);
        const response = await cache.match(request);
        const body = response ? await response.text() : "";
        if (body.includes(needle)) hits.push(request.url);
      }
    }
    return { names, urls, hits };
  }, text);
}

test("after sign-out no client card is left in the browser, offline shows the offline page", async ({ page, context }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // The screen pop of a call: the client card by phone.
  await page.goto("/people/by-phone/+79165551234");
  await waitForApp(page);
  await expect(page.getByTestId("card-name")).toContainText(NAME);
  const cardUrl = page.url();
  // Once more, now that the service worker controls the page: it sees the navigation itself.
  await page.reload();
  await waitForApp(page);
  await expect(page.getByTestId("card-name")).toContainText(NAME);
  const signedIn = await cachedWith(page, NAME);
  expect(signedIn.hits, "pages are never stored, even while signed in").toEqual([]);
  expect(signedIn.urls.every((u) => /\/(pkg|fonts|icons|manifests)\/|\/offline\.html$/.test(new URL(u).pathname)),
    `only static files are kept: ${signedIn.urls.join(", ")}`).toBe(true);

  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login$/);
  await waitForApp(page);
  // The sign-in page registers the worker again (signing out cleared it with the site's storage).
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const after = await cachedWith(page, NAME);
  expect(after.hits, `the name in Cache Storage: ${after.hits.join(", ")}`).toEqual([]);
  expect(errors, "console errors while online").toEqual([]);

  await context.setOffline(true);
  await page.goto(cardUrl).catch(() => undefined);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Нет связи с сервером");
  expect(await page.content()).not.toContain(NAME);
  await context.setOffline(false);
});

test("a sign-in never leaves the site, whatever next says", async ({ page }) => {
  for (const next of ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/"]) {
    await signIn(page, "dispatcher", { next });
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/staff$/);
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/login$/);
  }
  // A path on this site is followed.
  await signIn(page, "dispatcher", { next: "/staff/people?q=%D0%9B%D0%B5%D1%81%D0%BD%D0%B0%D1%8F" });
  await expect(page).toHaveURL(/\/staff\/people\?q=/);
});
