/**
 * `npm run lighthouse`: Lighthouse 12 (mobile and desktop presets) on a signed-in product profile and
 * on the root account's profile of the demo data, and on the sign-in page signed out ("shell": the floor
 * any page of the app pays), against a production build served by `next start` on a fresh PGlite.
 * Writes bench/results/lighthouse.json:
 *   {"shell": {"mobile": {performance, accessibility, best_practices, seo, lcp_ms, tbt_ms}, "desktop": {…}}, "product": {…}, "root": {…}}
 *
 * Flags: --no-build (reuse .next when it exists), --runs=N (median of N runs per page and preset; default 1),
 * --out=FILE. Chromium: CHROME_PATH (default /usr/bin/chromium). A figure to report, not a test.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { spawn } from "node:child_process";
import { nextBuild, nextStart, signIn } from "../bench/server";

const EMAIL = "leader@demo.test";
const PASSWORD = "demo";

type Scores = { performance: number; accessibility: number; best_practices: number; seo: number; lcp_ms: number; tbt_ms: number };

function option(name: string): string | undefined {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!arg) return undefined;
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : "true";
}

/** The first profile link of an accounts search (the list is ordered by depth, then name). */
async function firstAccount(baseUrl: string, cookie: string, type: string): Promise<string> {
  const res = await fetch(`${baseUrl}/accounts?type=${type}`, { headers: { cookie } });
  const html = await res.text();
  // List rows carry the list they came from (?list=…, for j / k on the profile): the id alone is wanted.
  const match = html.match(/href="\/accounts\/([0-9a-f-]{36})(?:\?[^"]*)?"/);
  if (!match) throw new Error(`no ${type} account found in /accounts?type=${type} (HTTP ${res.status})`);
  return `/accounts/${match[1]}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One Lighthouse run in a plain `node` child (see scripts/lighthouse-audit.mjs for why not in-process). */
function audit(url: string, cookie: string, preset: "mobile" | "desktop"): Promise<Scores & { unused_js_kib: number; failing: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, "lighthouse-audit.mjs"), url, preset], {
      env: { ...process.env, LH_COOKIE: cookie },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`lighthouse (${preset}) on ${url} exited with ${code}: ${out.slice(-500)}`));
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`lighthouse printed no scores: ${out.slice(-500)}`));
      }
    });
  });
}

async function main() {
  const root = process.cwd();
  const out = option("out") ?? path.join(root, "bench/results/lighthouse.json");
  const runs = Math.max(1, Number(option("runs") ?? "1") || 1);
  const work = mkdtempSync("/tmp/c360-lighthouse-app-");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DEMO_MODE: "true",
    PGLITE_DIR: path.join(work, "pglite"),
    ASSET_DIR: path.join(work, "assets"),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    AUTH_TRUST_HOST: "true",
  };
  delete env.DATABASE_URL;

  const reuse = option("no-build") && existsSync(path.join(root, ".next/BUILD_ID"));
  if (!reuse) {
    console.log("next build …");
    const ms = await nextBuild(env, path.join(work, "build.log"));
    console.log(`built in ${(ms / 1000).toFixed(0)} s`);
  }
  const server = await nextStart(env, path.join(work, "server.log"));
  try {
    const cookie = await signIn(server.baseUrl, EMAIL, PASSWORD);
    // "shell": the sign-in page, signed out: the app's own floor (React, Next's router, the stylesheet,
    // one small form) on this machine. The profiles' cost reads best beside it, measured in the same run.
    const pages = {
      shell: "/login",
      product: await firstAccount(server.baseUrl, cookie, "product"),
      root: await firstAccount(server.baseUrl, cookie, "company"),
    };
    const results: Record<string, Record<"mobile" | "desktop", Scores>> = {};
    for (const [name, href] of Object.entries(pages)) {
      const url = server.baseUrl + href;
      const pageCookie = name === "shell" ? "" : cookie;
      // One warm-up request so the first Lighthouse run does not pay for the server's cold caches.
      await fetch(url, { headers: { cookie: pageCookie } });
      results[name] = {} as Record<"mobile" | "desktop", Scores>;
      for (const preset of ["mobile", "desktop"] as const) {
        const all: Scores[] = [];
        for (let i = 0; i < runs; i++) {
          const run = await audit(url, pageCookie, preset);
          console.log(`  ${name} ${preset} run ${i + 1}: unused JS ${run.unused_js_kib} KiB; audits below 0.9: ${run.failing.join(", ") || "none"}`);
          all.push(run);
        }
        const pick = (k: keyof Scores) => median(all.map((s) => s[k]));
        results[name][preset] = {
          performance: pick("performance"),
          accessibility: pick("accessibility"),
          best_practices: pick("best_practices"),
          seo: pick("seo"),
          lcp_ms: pick("lcp_ms"),
          tbt_ms: pick("tbt_ms"),
        };
        console.log(`${name} ${preset}: ${JSON.stringify(results[name][preset])}`);
      }
    }
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
    console.log(`wrote ${out}`);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
