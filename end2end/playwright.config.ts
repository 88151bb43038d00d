// Playwright drives Debian's Chromium (/usr/bin/chromium); no browser is downloaded.
// The server under test is the release binary ($PLATFORMA_BIN, set by ./dev test) on a fresh
// SQLite database with the demo data, started and stopped by Playwright itself.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3111);
const bin = process.env.PLATFORMA_BIN ?? "../target/release/platforma";
export const dbDir = `/tmp/platforma-e2e-${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // On failure the last reporter prints the server's log tail, free disk and memory.
  reporter: [["list"], ["./server-log-reporter.ts"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "ru-RU",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command:
      `rm -rf ${dbDir} && mkdir -p ${dbDir} && ` +
      `${bin} migrate && ${bin} seed-demo && exec ${bin} serve > ${dbDir}/server.log 2>&1`,
    cwd: "..",
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // The server's output goes to ${dbDir}/server.log (printed by the reporter when a test fails).
    stdout: "pipe",
    env: {
      DATABASE_URL: `sqlite://${dbDir}/e2e.db`,
      PLATFORMA_SERVER_ADDR: `127.0.0.1:${port}`,
      PLATFORMA_SERVER_SITE_ROOT: "target/site",
      PLATFORMA_LOG_LEVEL: "info",
      // Invitations carry the cabinet's address, which comes only from the configured public URL.
      PLATFORMA_SECURITY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Residents' sign-in codes go to a spool file the tests read (see accounts.spec.ts).
      PLATFORMA_SMS_GATEWAY: "file",
      PLATFORMA_SMS_FILE: `${dbDir}/sms.jsonl`,
    },
  },
});
