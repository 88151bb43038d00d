import { expect, test } from "@playwright/test";
import { watchConsole } from "./console";
import { signIn, signInResident, waitForApp } from "./session";

test.describe("app shell", () => {
  test("loads in Russian by default", async ({ page }) => {
    const errors = watchConsole(page);
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Добро пожаловать в Платформу");
    await expect(page.getByTestId("entry-staff")).toContainText("Рабочее место сотрудника");
    await expect(page).toHaveTitle("Платформа");
    expect(errors, "console errors").toEqual([]);
  });

  test("language switch changes the UI without a reload and is remembered", async ({ page }) => {
    const errors = watchConsole(page);
    await signIn(page, "operator");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Сегодня");
    // Mark the document: a reload would lose the mark, a reactive switch keeps it.
    await page.evaluate(() => ((window as any).__noReload = true));
    await page.getByTestId("lang-en").first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Today");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByTestId("nav-companies")).toHaveText("Companies");
    await expect(page.getByTestId("toast")).toContainText("Interface language: English");
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

    // The server renders the chosen language on the next load (cookie).
    await page.reload();
    await waitForApp(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Today");

    await page.getByTestId("lang-ru").first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Сегодня");
    expect(errors, "console errors").toEqual([]);
  });

  test("staff navigation, search in the URL and a dialog that needs hydration", async ({ page }) => {
    const errors = watchConsole(page);
    await signIn(page, "operator");
    await expect(page.getByTestId("card-companies")).toContainText("5");
    await page.getByTestId("nav-companies").click();
    await expect(page).toHaveURL(/\/staff\/companies$/);
    await expect(page.getByTestId("company-row")).toHaveCount(5);
    await expect(page.getByTestId("companies-count")).toHaveText("5 компаний");

    // Typing filters through the URL (shareable views); case and ё do not matter.
    await page.getByLabel("Найти компанию").fill("СЕВЕРНЫЙ");
    await expect(page).toHaveURL(/q=%D0%A1%D0%95%D0%92%D0%95%D0%A0/);
    await expect(page.getByTestId("company-row")).toHaveCount(1);
    await expect(page.getByTestId("companies-count")).toHaveText("1 компания");

    // Opening the details dialog is a click handled by the hydrated app.
    await page.getByTestId("company-row").first().click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Общество с ограниченной ответственностью «Северный квартал»");
    await expect(dialog).toContainText("+7 ");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    // Nothing found: an empty state with a way out.
    await page.getByLabel("Найти компанию").fill("нет такой");
    await expect(page.getByTestId("empty-state")).toContainText("Ничего не найдено");
    await page.getByRole("button", { name: "Очистить поиск" }).click();
    await expect(page.getByTestId("company-row")).toHaveCount(5);
    expect(errors, "console errors").toEqual([]);
  });

  test("the top-bar search is focused with / and opens its results", async ({ page }) => {
    await signIn(page, "admin");
    await page.getByRole("heading", { level: 1 }).click();
    await page.keyboard.press("/");
    await expect(page.locator("#global-search")).toBeFocused();
    await page.keyboard.type("СЕМЁНОВ");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/staff\/search\?q=/);
    await expect(page.getByTestId("search-people").getByTestId("people-rows").getByTestId("person-link")).toHaveText([
      "Семёнов Игорь Петрович",
      "Семёнова Ольга Викторовна",
    ]);
  });

  test("unknown pages answer 404 with a way home", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Страница не найдена");
    await page.getByRole("link", { name: "На главную" }).click();
    await expect(page).toHaveURL(/\/$/);
  });
});

test.describe("installable apps", () => {
  for (const [path, manifest, start] of [
    ["/cabinet", "/manifests/cabinet.webmanifest", "/cabinet"],
    ["/guard", "/manifests/guard.webmanifest", "/guard"],
  ]) {
    test(`${path} links its manifest and registers the service worker`, async ({ page, request }) => {
      const errors = watchConsole(page);
      if (path === "/guard") await signIn(page, "guard", { guardPost: true });
      if (path === "/cabinet") await signInResident(page);
      await page.goto(path);
      await expect(page.locator(`link[rel=manifest]`)).toHaveAttribute("href", manifest);
      const res = await request.get(manifest);
      expect(res.status()).toBe(200);
      const json = await res.json();
      expect(json.start_url).toBe(start);
      expect(json.display).toBe("standalone");
      expect(json.icons.some((i: any) => i.sizes === "512x512")).toBe(true);
      for (const icon of json.icons) {
        expect((await request.get(icon.src)).status(), icon.src).toBe(200);
      }
      const scriptURL = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return reg.active?.scriptURL ?? "";
      });
      expect(scriptURL).toMatch(/\/sw\.js$/);
      expect(errors, "console errors").toEqual([]);
    });
  }

  test("the cabinet shows the dispatch phones of the resident's own management companies", async ({ page }) => {
    await signInResident(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Здравствуйте, .+!$/);
    // The demo resident lives with two companies (a flat and a parking space), and no other.
    const contacts = page.getByTestId("company-contact");
    await expect(contacts).toHaveCount(2);
    await expect(contacts.filter({ hasText: "Северный квартал" })).toHaveCount(1);
    await expect(contacts.filter({ hasText: "Речной берег" })).toHaveCount(1);
    await expect(contacts.first().getByRole("link", { name: "Позвонить" })).toHaveAttribute("href", /^tel:\+7\d{10}$/);
  });

  test("the guard desk shows the time and that the server is reachable", async ({ page }) => {
    await signIn(page, "guard", { guardPost: true });
    await expect(page.getByTestId("guard-clock")).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    await expect(page.getByTestId("guard-link")).toHaveAttribute("data-state", "online");
    await expect(page.getByTestId("guard-link")).toContainText("Связь с сервером есть");
  });
});

test.describe("operations", () => {
  test("healthz, readyz and metrics answer", async ({ request }) => {
    const health = await request.get("/healthz");
    expect(health.status()).toBe(200);
    expect(await health.text()).toBe("ok");
    const ready = await request.get("/readyz");
    expect(ready.status()).toBe(200);
    expect(await ready.text()).toBe("ready");
    await request.get("/");
    const metrics = await request.get("/metrics");
    expect(metrics.status()).toBe(200);
    const text = await metrics.text();
    expect(text).toContain("# TYPE platforma_http_requests_total counter");
    expect(text).toMatch(/platforma_http_requests_total\{method="GET",route="\/",status="200"\} \d+/);
    expect(text).toContain("platforma_http_request_duration_seconds_bucket");
    expect(text).toContain("platforma_db_pool_connections");
  });

  test("pages carry a strict CSP with a nonce that the hydration script uses", async ({ page }) => {
    const response = await page.goto("/login");
    const csp = response?.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([0-9a-f]+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response?.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    const html = await response!.text();
    expect(html).toContain(`nonce="${nonce}"`);
  });
});

test.describe("layout at phone, tablet and desktop widths", () => {
  for (const width of [360, 800, 1366]) {
    for (const path of ["/", "/login", "/cabinet/login", "/staff", "/staff/companies", "/staff/system", "/staff/account", "/staff/units/999999", "/cabinet", "/cabinet/account", "/guard"]) {
      test(`${path} fits ${width} px`, async ({ page }) => {
        await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
        if (path.startsWith("/staff")) await signIn(page, "operator");
        if (path === "/guard") await signIn(page, "guard", { guardPost: true });
        if (path === "/cabinet" || path === "/cabinet/account") await signInResident(page);
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
        const name = `${path === "/" ? "landing" : path.slice(1).replaceAll("/", "-")}-${width}`;
        await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
      });
    }
  }
});
