// When a run fails, prints what the server under test logged last, the free disk space and memory:
// CI shows the end of the output, and a run that fails from some point on (every sign-in, say)
// is explained by the server's side, not by the browser's.
import type { FullResult, Reporter } from "@playwright/test/reporter";
import { execSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const LINES = 80;

export default class ServerLogReporter implements Reporter {
  onEnd(result: FullResult) {
    if (result.status === "passed") return;
    const port = Number(process.env.E2E_PORT ?? 3111);
    const log = `/tmp/platforma-e2e-${port}/server.log`;
    console.log(`\n--- the server's log, last ${LINES} lines (${log}) ---`);
    if (existsSync(log)) {
      const lines = readFileSync(log, "utf8").split("\n");
      console.log(lines.slice(-LINES).join("\n"));
    } else {
      console.log("(no log file)");
    }
    for (const cmd of ["df -h /tmp .", "free -m", "uptime"]) {
      try {
        console.log(`--- ${cmd} ---\n${execSync(cmd, { encoding: "utf8" })}`);
      } catch (e) {
        console.log(`--- ${cmd} failed: ${e}`);
      }
    }
  }
}
