import Link from "next/link";
import { HealthBadge } from "@/components/health-badge";
import { MyOpenTasks } from "@/components/my-open-tasks";
import { ScrollRegion } from "@/components/scroll-region";
import { formatCurrency, formatDate } from "@/lib/format";
import type { LeaderHomeData } from "@/lib/home";

const BAR = { good: "bg-green-500", average: "bg-amber-400", poor: "bg-red-500", none: "bg-slate-200" } as const;
const WORD = { good: "good", average: "average", poor: "poor", none: "no health yet" } as const;

function HealthMix({ mix }: { mix: LeaderHomeData["accounts"][number]["health"] }) {
  const total = mix.good + mix.average + mix.poor + mix.none || 1;
  const parts = (["good", "average", "poor", "none"] as const).filter((k) => mix[k] > 0);
  return (
    <div>
      <div className="flex h-3 overflow-hidden rounded-full" role="img" aria-label={parts.map((k) => `${mix[k]} ${WORD[k]}`).join(", ")}>
        {parts.map((k) => (
          <span key={k} className={BAR[k]} style={{ width: `${(mix[k] / total) * 100}%` }} />
        ))}
      </div>
      <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-600">
        {parts.map((k) => (
          <span key={k}>
            {mix[k].toLocaleString("en-US")} {WORD[k]}
          </span>
        ))}
      </p>
    </div>
  );
}

/** upcomingRenewals' default limit (lib/home/leader.ts). */
const RENEWALS_SHOWN = 25;
const card = "rounded-lg border border-slate-200 bg-white";
const h2 = "border-b border-slate-200 px-4 py-3 font-semibold";

/** The home page for leadership: the accounts they lead, rolled up (lib/home). */
export function LeaderHome({ data, mayComplete }: { data: LeaderHomeData; mayComplete: boolean }) {
  const { accounts, children, renewals, movers, stages, tasks } = data;
  return (
    <div className="space-y-6" data-testid="leader-home">
      <div>
        <h1 className="text-2xl font-semibold">Your accounts</h1>
        <p className="text-sm text-slate-600">
          {data.led ? "The accounts you lead or follow, with everything below them." : "You lead and follow no account yet: the top of the hierarchy stands in (Follow on a profile adds it here)."}
        </p>
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
        {accounts.map((a) => (
          <section key={a.id} className={`${card} space-y-3 p-4`} aria-labelledby={`home-${a.id}`}>
            <div className="flex items-baseline justify-between gap-2">
              <h2 id={`home-${a.id}`} className="font-semibold">
                <Link href={`/accounts/${a.id}`} className="text-brand-700 hover:underline">
                  {a.name}
                </Link>
              </h2>
              <span className="text-xs text-slate-500">
                {a.typeName} · {a.descendants.toLocaleString("en-US")} below
              </span>
            </div>
            <p className="text-2xl font-semibold tabular-nums">
              {formatCurrency(a.arr)} <span className="text-sm font-normal text-slate-600">ARR</span>
            </p>
            <HealthMix mix={a.health} />
            <ul className="divide-y divide-slate-100 text-sm" aria-label={`ARR by child of ${a.name}`}>
              {children
                .filter((c) => c.parentId === a.id)
                .map((c) => (
                  <li key={c.id} className="flex items-center justify-between gap-2 py-1.5">
                    <Link href={`/accounts/${c.id}`} className="min-w-0 truncate text-brand-700 underline underline-offset-2">
                      {c.name}
                    </Link>
                    <span className="flex shrink-0 items-center gap-2">
                      <HealthBadge band={c.ownHealth} empty="—" />
                      <span className="tabular-nums">{formatCurrency(c.arr)}</span>
                    </span>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
      {/* A leader with work assigned sees it here, as on a portfolio home; none, no empty card. */}
      {tasks.length ? <MyOpenTasks tasks={tasks} mayComplete={mayComplete} /> : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <section className={card} aria-labelledby="home-renewals">
          <h2 id="home-renewals" className={h2}>
            Renewals in the next 90 days <span className="text-sm font-normal text-slate-500">({renewals.length === RENEWALS_SHOWN ? `the ${RENEWALS_SHOWN} soonest` : renewals.length})</span>
          </h2>
          {renewals.length ? (
            <ScrollRegion label="Renewals">
              <table className="w-full text-sm">
                <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
                  <tr>
                    <th className="px-4 py-2">Account</th>
                    <th className="px-4 py-2">Ends</th>
                    <th className="px-4 py-2">Health</th>
                    <th className="px-4 py-2 text-right">ARR</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {renewals.map((r) => (
                    <tr key={r.contractId}>
                      <td className="px-4 py-2">
                        <Link href={`/accounts/${r.accountId}`} className="text-brand-700 underline underline-offset-2">
                          {r.accountName}
                        </Link>
                        <span className="block text-xs text-slate-500">{r.contractName}</span>
                      </td>
                      <td className="px-4 py-2 whitespace-nowrap">{formatDate(r.endDate)}</td>
                      <td className="px-4 py-2">
                        <HealthBadge band={r.health} empty="—" />
                      </td>
                      <td className="px-4 py-2 text-right tabular-nums">{formatCurrency(r.arr)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          ) : (
            <p className="px-4 py-6 text-sm text-slate-600">No renewal in the next 90 days.</p>
          )}
        </section>
        <section className={card} aria-labelledby="home-movers">
          <h2 id="home-movers" className={h2}>
            Biggest movers since last week
          </h2>
          {movers.length || stages.length ? (
            <ul className="divide-y divide-slate-100 text-sm">
              {movers.map((m) => {
                const delta = Math.round(m.score - m.previousScore);
                return (
                  <li key={m.id} className="flex items-center justify-between gap-3 px-4 py-2">
                    <span className="min-w-0">
                      <Link href={`/accounts/${m.id}`} className="text-brand-700 underline underline-offset-2">
                        {m.name}
                      </Link>
                      <span className="block text-xs text-slate-500">{m.typeName}</span>
                    </span>
                    <span className="flex shrink-0 items-center gap-2">
                      {m.band !== m.previousBand ? (
                        <>
                          <HealthBadge band={m.previousBand} /> <span aria-label="to">→</span>
                        </>
                      ) : null}
                      <HealthBadge band={m.band} score={m.score} />
                      <span className={`w-10 text-right tabular-nums ${delta < 0 ? "text-red-700" : "text-green-700"}`}>
                        {delta > 0 ? "+" : ""}
                        {delta}
                      </span>
                    </span>
                  </li>
                );
              })}
              {stages.map((m) => (
                <li key={`stage-${m.id}-${m.lifecycleName}`} className="flex items-center justify-between gap-3 px-4 py-2" data-testid="stage-mover">
                  <span className="min-w-0">
                    <Link href={`/accounts/${m.id}`} className="text-brand-700 hover:underline">
                      {m.name}
                    </Link>
                    <span className="block text-xs text-slate-500">
                      {m.typeName} · {m.lifecycleName} · {formatDate(m.changedAt)}
                    </span>
                  </span>
                  <span className="flex shrink-0 flex-wrap items-center justify-end gap-1 text-xs">
                    {m.fromStage ? (
                      <>
                        <span className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">{m.fromStage}</span> <span aria-label="to">→</span>
                      </>
                    ) : null}
                    <span className="rounded bg-brand-50 px-1.5 py-0.5 font-medium text-brand-700">{m.toStage}</span>
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="px-4 py-6 text-sm text-slate-600">No health or lifecycle stage moved since last week.</p>
          )}
        </section>
      </div>
    </div>
  );
}
