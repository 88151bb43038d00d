import { Page } from "@playwright/test";

/** Collects console errors (including CSP violations) so a test can assert the page ran cleanly. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  return errors;
}
