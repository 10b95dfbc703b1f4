import { SectionCard } from "@/components/section-card";
import { RolledUpNote } from "@/components/widgets/parts/shared";
import { revenueDetails, revenueSummary, type InvoiceStatus } from "@/lib/dal/revenue";
import { formatCurrency, formatDate } from "@/lib/format";
import type { TabProps } from "./types";
import { ScrollRegion } from "@/components/scroll-region";

const STATUS_STYLE: Record<InvoiceStatus, string> = {
  paid: "bg-green-100 text-green-800",
  unpaid: "bg-slate-100 text-slate-800",
  overdue: "bg-red-100 text-red-800",
};

function Section({ id, title, summary, children }: { id: string; title: string; summary?: React.ReactNode; children: React.ReactNode }) {
  return (
    <SectionCard id={id} title={title} size="regular" flush action={summary ? <span className="text-sm text-slate-600">{summary}</span> : null}>
      {children}
    </SectionCard>
  );
}

const th = "px-4 py-2 font-medium";
const thRight = `${th} text-right`;
const td = "px-4 py-2";
const tdRight = `${td} text-right tabular-nums`;

/** Contracts and licences, MRR (computed and override), sales and invoices of the account. */
export async function RevenueTab({ ctx, account }: TabProps) {
  const [summary, details] = await Promise.all([revenueSummary(ctx, account), revenueDetails(ctx, account)]);
  return (
    <div className="space-y-4">
      <section aria-labelledby="mrr-heading" className="rounded-lg border border-slate-200 bg-white px-4 py-3">
        <h2 id="mrr-heading" className="sr-only">
          Recurring revenue
        </h2>
        <dl className="grid gap-4 sm:grid-cols-4">
          <div>
            <dt className="text-xs text-slate-600">MRR</dt>
            <dd className="text-xl font-semibold tabular-nums" data-testid="revenue-tab-mrr">
              {formatCurrency(summary.mrr)}{" "}
              {summary.override !== null ? <span className="rounded bg-amber-100 px-1.5 py-0.5 align-middle text-xs font-medium text-amber-900">Override</span> : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600">Computed from contracts</dt>
            <dd className="text-xl font-semibold tabular-nums">{formatCurrency(summary.computedMrr)}</dd>
            <dd className="text-xs text-slate-600">
              {summary.contractCount} active, non-excluded {summary.contractCount === 1 ? "contract" : "contracts"}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600">ARR</dt>
            <dd className="text-xl font-semibold tabular-nums">{formatCurrency(summary.arr)}</dd>
            <dd className="text-xs text-slate-600">12 × MRR</dd>
          </div>
          {summary.rollup ? (
            <div>
              <dt className="text-xs text-slate-600">MRR with everything below</dt>
              <dd className="text-xl font-semibold tabular-nums">{formatCurrency(summary.rollup.mrr)}</dd>
              <dd>
                <RolledUpNote descendants={summary.rollup.descendants} />
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      <Section id="contracts-heading" title="Contracts and licences" summary={`Active value ${formatCurrency(details.totals.contractValue)}`}>
        {details.contracts.length === 0 ? (
          <p className="px-4 py-4 text-sm text-slate-600">No contracts on this account{summary.rollup ? " itself; see its sub-accounts" : ""}.</p>
        ) : (
          <ScrollRegion label="Contracts">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
                <tr>
                  <th scope="col" className={th}>Name</th>
                  <th scope="col" className={th}>Kind</th>
                  <th scope="col" className={thRight}>Value</th>
                  <th scope="col" className={thRight}>MRR</th>
                  <th scope="col" className={th}>Start</th>
                  <th scope="col" className={th}>End</th>
                  <th scope="col" className={th}>Active</th>
                  <th scope="col" className={th}>Excluded</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {details.contracts.map((c) => (
                  <tr key={c.id} data-testid="contract-row" className={c.active && !c.excluded ? undefined : "text-slate-600"}>
                    <td className={`${td} font-medium`}>{c.name}</td>
                    <td className={`${td} capitalize`}>{c.kind}</td>
                    <td className={tdRight}>{formatCurrency(c.value)}</td>
                    <td className={tdRight}>{formatCurrency(c.mrr)}</td>
                    <td className={td}>{formatDate(c.startDate)}</td>
                    <td className={td}>{formatDate(c.endDate)}</td>
                    <td className={td}>{c.active ? "Yes" : "No"}</td>
                    <td className={td}>{c.excluded ? <span className="font-medium text-amber-900">Excluded</span> : "No"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </Section>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-5">
        <div className="lg:col-span-2">
        <Section id="sales-heading" title="Sales" summary={`Total ${formatCurrency(details.totals.sales)}`}>
          {details.sales.length === 0 ? (
            <p className="px-4 py-4 text-sm text-slate-600">No one-off sales.</p>
          ) : (
            <ScrollRegion label="Sales">
              <table className="w-full text-sm">
                <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
                  <tr>
                    <th scope="col" className={th}>Name</th>
                    <th scope="col" className={th}>Sold on</th>
                    <th scope="col" className={thRight}>Amount</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {details.sales.map((s) => (
                    <tr key={s.id}>
                      <td className={td}>{s.name}</td>
                      <td className={td}>{formatDate(s.soldOn)}</td>
                      <td className={tdRight}>{formatCurrency(s.amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </Section>
        </div>
        <div className="lg:col-span-3">
        <Section
          id="invoices-heading"
          title="Invoices"
          summary={
            <>
              Outstanding {formatCurrency(details.totals.unpaid)}
              {details.totals.overdue ? <span className="ml-1 font-medium text-red-700">({formatCurrency(details.totals.overdue)} overdue)</span> : null}
            </>
          }
        >
          {details.invoices.length === 0 ? (
            <p className="px-4 py-4 text-sm text-slate-600">No invoices.</p>
          ) : (
            <ScrollRegion label="Invoices">
              <table className="w-full text-sm">
                <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
                  <tr>
                    <th scope="col" className={th}>Number</th>
                    <th scope="col" className={th}>Issued</th>
                    <th scope="col" className={th}>Due</th>
                    <th scope="col" className={thRight}>Amount</th>
                    <th scope="col" className={th}>Status</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {details.invoices.map((i) => (
                    <tr key={i.id} data-testid="invoice-row">
                      <td className={td}>
                        {i.number}
                        {i.contractName ? <span className="block text-xs text-slate-600">{i.contractName}</span> : null}
                      </td>
                      <td className={`${td} whitespace-nowrap`}>{formatDate(i.issuedOn)}</td>
                      <td className={`${td} whitespace-nowrap`}>{formatDate(i.dueOn)}</td>
                      <td className={tdRight}>{formatCurrency(i.amount)}</td>
                      <td className={td}>
                        <span className={`rounded px-1.5 py-0.5 text-xs font-medium capitalize ${STATUS_STYLE[i.status]}`}>{i.status}</span>
                        {i.paidOn ? <span className="block text-xs text-slate-600">{formatDate(i.paidOn)}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </Section>
        </div>
      </div>
    </div>
  );
}
