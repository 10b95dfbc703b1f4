import * as s from "@/db/schema";
import type { Account, DemoContext, Hierarchy, Roster, Staff } from "./model";
import type { Insert, RowStore } from "./rows";
import type { AddTimeline } from "./timeline";
import { DAY, fill, officeTime, slug } from "./time";
import type { UsageActivity } from "./usage";

/** A file asset whose bytes are stored (through `putAsset`) while the data set is written. */
export type PendingFile = {
  account: Account;
  uploader: Staff;
  storageKey: string;
  bytes: Uint8Array;
  contentType: string;
  row: Insert<typeof s.assets>;
};

const LINKS = [
  ["QBR deck Q3", "https://docs.example.com/decks/{slug}-qbr-q3"],
  ["Statement of work", "https://docs.example.com/contracts/{slug}-sow"],
  ["Architecture diagram", "https://wiki.example.com/architecture/{slug}"],
  ["Renewal proposal", "https://docs.example.com/proposals/{slug}-renewal"],
  ["Onboarding plan", "https://docs.example.com/plans/{slug}-onboarding"],
  ["Executive business review", "https://docs.example.com/decks/{slug}-ebr"],
] as const;

/**
 * Link assets on ~40 accounts (written now, with their timeline entries) and three small files
 * (a PDF, a usage CSV) returned for the caller to store and write.
 */
export function buildAssets({ now, root, ids, store }: DemoContext, { company, regions, lobs, products, busiest, opportunities }: Hierarchy, { csmOf }: Roster, activities: UsageActivity[], addTimeline: AddTimeline): PendingFile[] {
  const xrng = root.fork("assets");
  const linkTargets = [busiest, busiest, busiest, ...xrng.sample(products, 26), ...xrng.sample(lobs, 5), regions.emea, company, opportunities[0]];
  linkTargets.forEach((account, i) => {
    const [name, url] = account === busiest ? LINKS[i] : xrng.pick(LINKS);
    const id = ids.uuid();
    const createdAt = officeTime(xrng, Math.max(account.createdAt + DAY, now - xrng.int(3, 360) * DAY));
    const uploader = csmOf(account);
    const fullUrl = fill(url, { slug: slug(account.name) });
    store.add(s.assets, { id, accountId: account.id, kind: "link", name, url: fullUrl, uploadedBy: uploader.id, createdAt: new Date(createdAt) });
    addTimeline(account, "asset", createdAt, `Asset added: ${name}`, { name, kind: "link", url: fullUrl }, id, uploader);
  });
  const files: PendingFile[] = [];
  const fileDefs: [Account, string, string, Uint8Array][] = [
    [busiest, "Order form 2026.pdf", "application/pdf", tinyPdf(`Order form - ${busiest.name}`)],
    [busiest, "Usage export Q3.csv", "text/csv", new TextEncoder().encode(usageCsv(store, busiest, activities))],
    [regions.emea, "EMEA security review.pdf", "application/pdf", tinyPdf("EMEA security review - summary")],
  ];
  for (const [account, name, contentType, bytes] of fileDefs) {
    const id = ids.uuid();
    const uploader = csmOf(account);
    const createdAt = officeTime(xrng, now - xrng.int(4, 60) * DAY);
    const storageKey = `accounts/${account.id}/${id}/${name.replace(/[^A-Za-z0-9._-]+/g, "-")}`;
    files.push({
      account,
      uploader,
      storageKey,
      bytes,
      contentType,
      row: { id, accountId: account.id, kind: "file", name, storageKey, contentType, sizeBytes: bytes.length, uploadedBy: uploader.id, createdAt: new Date(createdAt) },
    });
  }
  return files;
}

/** A small valid one-page PDF showing `title` (offsets of the cross-reference table computed). */
function tinyPdf(title: string): Uint8Array {
  const text = title.replace(/[()\\]/g, "");
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** Last 30 days of the account's daily usage by activity, as the CSV a CSM would export. */
function usageCsv(store: RowStore, account: Account, activities: Pick<UsageActivity, "id" | "key">[]): string {
  const names = new Map(activities.map((a) => [a.id, a.key]));
  const totals = new Map<string, number>();
  const rows = store.rows(s.usageDaily).filter((r) => r.accountId === account.id);
  const days = [...new Set(rows.map((r) => r.day as string))].sort().slice(-30);
  const keep = new Set(days);
  for (const row of rows) {
    if (!keep.has(row.day as string)) continue;
    const key = `${row.day},${names.get(row.activityId)}`;
    totals.set(key, (totals.get(key) ?? 0) + Number(row.events));
  }
  const lines = [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key},${n}`);
  return `day,activity,events\n${lines.join("\n")}\n`;
}
