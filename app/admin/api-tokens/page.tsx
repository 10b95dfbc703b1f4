import type { Metadata } from "next";
import { sql } from "drizzle-orm";
import { notFound } from "next/navigation";
import { API_SCOPES } from "@/lib/api/scopes";
import { recentTokenUse } from "@/lib/api/rate-limit";
import { listApiTokens } from "@/lib/api/tokens";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { visibleAccount } from "@/lib/dal/viewer";
import { CreateTokenForm, RateLimitForm, RevokeTokenButton, type SubtreeOption } from "./token-forms";
import { ScrollRegion } from "@/components/scroll-region";

export const metadata: Metadata = { title: "API tokens" };

const when = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const scopeLabel = new Map<string, string>(API_SCOPES.map((s) => [s.key, s.label]));

export default async function ApiTokensPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "apiTokens.manage")) notFound();
  const [tokens, use] = await Promise.all([listApiTokens(ctx), recentTokenUse(ctx.db)]);
  // The upper levels (depth ≤ 2) are the subtrees a feed is usually limited to.
  const subtreeRows = await ctx.db.execute<{ id: string; name: string; depth: number; type_name: string }>(sql`
    select a.id, a.name, a.depth, t.name as type_name from accounts a join account_types t on t.id = a.type_id
    where a.archived_at is null and a.depth <= 2 and not t.is_opportunity and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
    order by a.path || a.id limit 300`);
  const subtrees: SubtreeOption[] = subtreeRows.rows.map((r) => ({ id: r.id, label: `${"\u2003".repeat(r.depth)}${r.name} (${r.type_name})` }));
  const active = tokens.filter((t) => !t.revokedAt).length;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">API tokens</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Tokens let your product and CRM write to and read from <code>/api/v1</code> (documented at{" "}
          <a href="/api/v1/openapi.json" className="text-brand-700 underline">
            /api/v1/openapi.json
          </a>
          ). A token acts for the admin who created it, only for what it is scoped to, and stops working when revoked. Each token
          may make 600 requests a minute unless you set another limit; past it, requests get 429 until the minute ends.
        </p>
      </div>

      <section aria-labelledby="tokens-heading" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="tokens-heading" className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800">
          {active} active token{active === 1 ? "" : "s"}
          {tokens.length > active ? `, ${tokens.length - active} revoked` : ""}
        </h2>
        {tokens.length ? (
          <ScrollRegion label="API tokens">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs text-slate-700">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Token</th>
                  <th scope="col" className="px-4 py-2 font-medium">May read and write</th>
                  <th scope="col" className="px-4 py-2 font-medium">Accounts</th>
                  <th scope="col" className="px-4 py-2 font-medium">Created</th>
                  <th scope="col" className="px-4 py-2 font-medium">Last used</th>
                  <th scope="col" className="px-4 py-2 font-medium">Recent use</th>
                  <th scope="col" className="px-4 py-2 font-medium">Rate limit</th>
                  <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Status</span></th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} className={`border-t border-slate-100 align-top ${t.revokedAt ? "text-slate-600" : ""}`}>
                    <td className="px-4 py-2">
                      <div className="font-medium text-slate-900">{t.name}</div>
                      <code className="text-xs text-slate-600">{t.prefix}…</code>
                    </td>
                    <td className="px-4 py-2 text-xs">{t.scopes.map((s) => scopeLabel.get(s) ?? s).join(", ")}</td>
                    <td className="px-4 py-2 text-xs">{t.rootAccountName ? `${t.rootAccountName} and below` : "All"}</td>
                    <td className="px-4 py-2 text-xs">
                      {when.format(t.createdAt)} UTC
                      {t.createdByName ? <div className="text-slate-600">by {t.createdByName}</div> : null}
                    </td>
                    <td className="px-4 py-2 text-xs">{t.lastUsedAt ? `${when.format(t.lastUsedAt)} UTC` : "Never"}</td>
                    <td className="px-4 py-2 text-xs">
                      <RecentUse use={use.get(t.id)} limit={t.rateLimitPerMinute} />
                    </td>
                    <td className="px-4 py-2">
                      {t.revokedAt ? <span className="text-xs">{t.rateLimitPerMinute.toLocaleString("en")} / min</span> : <RateLimitForm tokenId={t.id} name={t.name} limit={t.rateLimitPerMinute} />}
                    </td>
                    <td className="px-4 py-2">
                      {t.revokedAt ? (
                        <span className="text-xs">Revoked {when.format(t.revokedAt)} UTC</span>
                      ) : (
                        <RevokeTokenButton tokenId={t.id} name={t.name} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ) : (
          <p className="px-4 py-3 text-sm text-slate-700">No tokens yet.</p>
        )}
      </section>

      <section aria-labelledby="new-token-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="new-token-heading" className="mb-3 text-base font-semibold text-slate-900">
          New token
        </h2>
        <CreateTokenForm subtrees={subtrees} />
      </section>
    </div>
  );
}

const count = new Intl.NumberFormat("en");

/** Requests in the last hour and day, the busiest minute against the limit, and 429s. */
function RecentUse({ use, limit }: { use: import("@/lib/api/rate-limit").TokenUse | undefined; limit: number }) {
  if (!use) return <span className="text-slate-600">None in 24 h</span>;
  return (
    <dl className="grid grid-cols-[auto_auto] gap-x-2 whitespace-nowrap">
      <dt className="text-slate-600">Last hour</dt>
      <dd>{count.format(use.lastHour)}</dd>
      <dt className="text-slate-600">Last 24 h</dt>
      <dd>{count.format(use.lastDay)}</dd>
      <dt className="text-slate-600">Busiest minute</dt>
      <dd>
        {count.format(use.busiestMinute)} of {count.format(limit)}
      </dd>
      {use.refusedLastDay ? (
        <>
          <dt className="text-red-800">Refused (429)</dt>
          <dd className="text-red-800">{count.format(use.refusedLastDay)}</dd>
        </>
      ) : null}
    </dl>
  );
}
