// One Lighthouse run, in plain Node: under tsx, esbuild's keepNames adds `__name(...)` to functions
// that Lighthouse serialises into the page, where `__name` does not exist. scripts/lighthouse.ts
// runs this file with `node` and reads the scores it prints as one JSON line.
//   LH_COOKIE=… node scripts/lighthouse-audit.mjs <url> <mobile|desktop>
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const [url, preset] = process.argv.slice(2);
const profileDir = mkdtempSync("/tmp/c360-lighthouse-");
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  userDataDir: profileDir,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
});
try {
  const result = await lighthouse(
    url,
    { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility", "best-practices", "seo"], extraHeaders: { cookie: process.env.LH_COOKIE ?? "" } },
    preset === "desktop" ? desktopConfig : undefined,
  );
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`lighthouse gave no result for ${url}`);
  // LH_REPORT=file.json keeps the whole report, to see what the scores are made of.
  if (process.env.LH_REPORT) writeFileSync(process.env.LH_REPORT, JSON.stringify(lhr));
  if (process.env.LH_TRACE) writeFileSync(process.env.LH_TRACE, JSON.stringify(result.artifacts?.Trace ?? null));
  if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const score = (key) => Math.round((lhr.categories[key]?.score ?? 0) * 100);
  const failing = Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable")
    .map((a) => a.id);
  // Accessibility, best-practice and SEO failures name their elements (on stderr), so they can be fixed.
  for (const key of ["accessibility", "best-practices", "seo"]) {
    for (const ref of lhr.categories[key]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (a?.score === 0) {
        const items = (a.details?.items ?? []).slice(0, 5).map((item) => item.node?.selector ?? item.node?.snippet ?? JSON.stringify(item).slice(0, 120));
        console.error(`[${preset}] ${key}: ${a.id}: ${items.join(" | ")}`);
      }
    }
  }
  console.log(
    JSON.stringify({
      performance: score("performance"),
      accessibility: score("accessibility"),
      best_practices: score("best-practices"),
      seo: score("seo"),
      lcp_ms: Math.round(lhr.audits["largest-contentful-paint"]?.numericValue ?? NaN),
      tbt_ms: Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? NaN),
      unused_js_kib: Math.round((lhr.audits["unused-javascript"]?.details?.overallSavingsBytes ?? 0) / 1024),
      failing,
    }),
  );
} finally {
  chrome.kill();
  rmSync(profileDir, { recursive: true, force: true });
}
