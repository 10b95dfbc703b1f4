import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { findAccount } from "@/lib/dal/accounts";
import { redirectIfMerged } from "@/lib/dal/merged";
import { requireContext } from "@/lib/dal/session";
import { formatCurrency, formatNumber } from "@/lib/format";
import { EXPLAIN_METRICS, explainRollup, type ExplainMetric, type RollupExplanation } from "@/lib/rollups/explain";
import { ScrollRegion } from "@/components/scroll-region";

export const metadata: Metadata = { title: "Explain this number" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function format(value: number | null, kind: RollupExplanation["format"]): string {
  if (value === null) return "—";
  if (kind === "currency") return formatCurrency(value);
  if (kind === "decimal") return value.toFixed(2);
  return formatNumber(Math.round(value * 100) / 100);
}

/** Where a rolled-up number comes from: each child's part with its share, and what is left out. */
export default async function ExplainPage({ params, searchParams }: Props) {
  const ctx = await requireContext();
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const account = await findAccount(ctx, id);
  if (!account) return redirectIfMerged(ctx, id, "/explain", query);
  const raw = Array.isArray(query.metric) ? query.metric[0] : query.metric;
  // An unknown metric falls back to MRR; `attribute:<key>` explains a rolled-up attribute.
  const metric: ExplainMetric =
    EXPLAIN_METRICS.find((m) => m.metric === raw)?.metric ?? (raw && /^attribute:[a-z0-9_]{1,64}$/.test(raw) ? (raw as ExplainMetric) : "mrr");
  const explanation = await explainRollup(ctx, account, metric);
  if (!explanation) notFound();
  const f = (v: number | null) => format(v, explanation.format);

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/accounts/${account.id}`} className="text-brand-700 underline">
          ← {account.name}
        </Link>
      </nav>
      <h1 className="text-2xl font-semibold">
        {explanation.label} of {account.name}
      </h1>
      <nav aria-label="Metrics" className="flex flex-wrap gap-2 text-sm">
        {EXPLAIN_METRICS.map((m) => (
          <Link
            key={m.metric}
            href={`/accounts/${account.id}/explain?metric=${m.metric}`}
            aria-current={m.metric === metric ? "page" : undefined}
            className={m.metric === metric ? "rounded bg-brand-700 px-2 py-1 text-white" : "rounded border border-slate-300 bg-white px-2 py-1 text-brand-700"}
          >
            {m.label}
          </Link>
        ))}
      </nav>
      <section aria-labelledby="total" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="total" className="text-sm text-slate-600">
          Rolled up from {formatNumber(explanation.descendants)} accounts below
        </h2>
        <p className="text-3xl font-semibold tabular-nums" data-testid="explain-total">
          {f(explanation.total)}
        </p>
        {explanation.own ? (
          <p className="mt-1 text-sm text-slate-700">
            {explanation.own.label}: {f(explanation.own.value)}
          </p>
        ) : null}
        {!explanation.additive ? <p className="mt-1 text-xs text-slate-600">The total is the extreme among the parts below, not their sum.</p> : null}
      </section>
      <section aria-labelledby="parts" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="parts" className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold">
          Contribution of each sub-account ({explanation.baseLabel})
        </h2>
        {explanation.contributions.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-600">No sub-account you can open contributes to this number.</p>
        ) : (
          <ScrollRegion label="Contributions">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-2">Sub-account</th>
                  <th scope="col" className="px-4 py-2 text-right">Part</th>
                  <th scope="col" className="px-4 py-2">Share</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {explanation.contributions.map((c) => (
                  <tr key={c.accountId}>
                    <td className="px-4 py-2">
                      <Link href={`/accounts/${c.accountId}/explain?metric=${metric}`} className="text-brand-700 underline">
                        {c.name}
                      </Link>{" "}
                      <span className="text-xs text-slate-600">{c.typeName}</span>
                      {c.detail ? <span className="block text-xs text-slate-600">{c.detail}</span> : null}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{f(c.value)}</td>
                    <td className="px-4 py-2">
                      {c.share === null ? (
                        "—"
                      ) : (
                        <span className="flex items-center gap-2">
                          <span className="h-2 w-32 overflow-hidden rounded bg-slate-100" aria-hidden="true">
                            <span className="block h-2 bg-brand-500" style={{ width: `${Math.max(0, Math.min(100, c.share * 100))}%` }} />
                          </span>
                          <span className="tabular-nums">{(c.share * 100).toFixed(1)}%</span>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
      {explanation.leftOut.length ? (
        <section aria-labelledby="left-out" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="left-out" className="text-sm font-semibold">
            Not shown account by account, or left out
          </h2>
          <ul className="mt-2 space-y-1 text-sm text-slate-700">
            {explanation.leftOut.map((l) => (
              <li key={l.reason}>
                {l.label}
                {l.value !== null ? `: ${f(l.value)}` : ""} <span className="text-xs text-slate-600">({l.inTotal ? "included in the total" : "not in the total"})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
