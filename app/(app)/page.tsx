import type { Metadata } from "next";
import Link from "next/link";
import { HealthBadge } from "@/components/health-badge";
import { MyOpenTasks } from "@/components/my-open-tasks";
import { mayChangeTask } from "@/lib/activity/permissions";
import { myAccounts, myOpenTasks } from "@/lib/dal/portfolio";
import { requireContext } from "@/lib/dal/session";
import { ScrollRegion } from "@/components/scroll-region";
import { DownloadCsvLink } from "@/components/download-csv-link";
import { may } from "@/lib/auth/permissions";
import { leaderHome } from "@/lib/home";
import { LeaderHome } from "./leader-home";

export const metadata: Metadata = { title: "My portfolio" };

export default async function PortfolioPage() {
  const ctx = await requireContext();
  // Every task listed is assigned to the viewer.
  const mayComplete = mayChangeTask(ctx.viewer, { assigneeId: ctx.viewer.userId, createdBy: null });
  // Leadership's home is the accounts they lead, rolled up, with their own open tasks (issue 18).
  if (may(ctx.viewer, "home.leader")) return <LeaderHome data={await leaderHome(ctx)} mayComplete={mayComplete} />;
  const [accounts, tasks] = await Promise.all([myAccounts(ctx), myOpenTasks(ctx)]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">My portfolio</h1>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <section aria-labelledby="my-accounts" className="rounded-lg border border-slate-200 bg-white lg:col-span-2">
          <h2 id="my-accounts" className="border-b border-slate-200 px-4 py-3 font-semibold">
            My accounts <span className="text-sm font-normal text-slate-500">({accounts.length})</span>
          </h2>
          {accounts.length ? <DownloadCsvLink href="/accounts/export/portfolio" className="mx-4 mt-2 inline-block" /> : null}
          {accounts.length === 0 ? (
            <p className="px-4 py-6 text-sm text-slate-600">
              You are not assigned to any account. <Link className="text-brand-600 underline" href="/accounts">Browse accounts</Link>.
            </p>
          ) : (
            <ScrollRegion label="My accounts">
              <table className="w-full min-w-[36rem] text-sm">
                <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
                  <tr>
                    <th className="px-4 py-2">Account</th>
                    <th className="px-4 py-2">Type</th>
                    <th className="px-4 py-2">My role</th>
                    <th className="px-4 py-2">Health</th>
                    <th className="px-4 py-2">Journey stage</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {accounts.map((a) => (
                    <tr key={a.id}>
                      <td className="px-4 py-2">
                        <Link href={`/accounts/${a.id}`} className="font-medium text-brand-700 hover:underline">
                          {a.name}
                        </Link>
                      </td>
                      <td className="px-4 py-2 text-slate-600">{a.typeName}</td>
                      <td className="px-4 py-2 text-slate-600">{a.roles.join(", ")}</td>
                      <td className="px-4 py-2">
                        <HealthBadge band={a.healthBand} score={a.healthScore} />
                      </td>
                      <td className="px-4 py-2 text-slate-600">{a.journeyStage ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </section>
        <MyOpenTasks tasks={tasks} mayComplete={mayComplete} />
      </div>
    </div>
  );
}
