import { Suspense } from "react";
import Link from "next/link";
import { defaultPlanName } from "@/lib/activity/objectives";
import { quickActionsFor, type QuickActionKey } from "@/lib/activity/permissions";
import { may } from "@/lib/auth/permissions";
import type { AccountSummary } from "@/lib/dal/accounts";
import { quickActionsData } from "@/lib/dal/quick-actions";
import type { Ctx } from "@/lib/dal/viewer";
import { assetLimitBytes } from "@/lib/assets/upload";
import { AssetForm } from "./asset-form";
import { LinkAssetForm } from "./link-asset-form";
import { ObjectiveForm } from "./objective-form";
import { PlaybookForm } from "./playbook-form";
import { QuickActionsMenu, type QuickActionPanel } from "./quick-actions-menu";
import { RequestForm } from "./request-form";
import { TaskForm } from "./task-form";
import { TouchpointForm } from "./touchpoint-form";

/**
 * The Quick Actions (+) bar: only the actions whose capability the viewer's role has (none for the
 * viewer role; touchpoints and tasks for leadership; everything for members in scope and admins).
 * Its option lists load in parallel and stream in, so the bar never holds up the profile.
 */
export async function QuickActionsBar({ ctx, account }: { ctx: Ctx; account: AccountSummary }) {
  if (quickActionsFor(ctx.viewer).length === 0) return null;
  return (
    <Suspense fallback={<BarSkeleton />}>
      <QuickActionsContent ctx={ctx} account={account} />
    </Suspense>
  );
}

function BarSkeleton() {
  return (
    <div role="status" aria-busy="true" className="h-[46px] animate-pulse rounded-lg border border-slate-200 bg-white">
      <span className="sr-only">Loading quick actions…</span>
    </div>
  );
}

const linkClass = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-brand-700 underline-offset-2 hover:border-brand-500 hover:underline";

async function QuickActionsContent({ ctx, account }: { ctx: Ctx; account: AccountSummary }) {
  const mayAddAssets = may(ctx.viewer, "asset.add");
  const [data, limitBytes] = await Promise.all([quickActionsData(ctx, account), mayAddAssets ? assetLimitBytes(ctx.db, account) : Promise.resolve(0)]);
  const today = new Date().toISOString().slice(0, 10);
  const has = (key: QuickActionKey) => data.actions.includes(key);
  const panels: QuickActionPanel[] = [];
  if (has("touchpoint")) {
    panels.push({
      key: "touchpoint",
      label: "Log touchpoint",
      title: "Log a touchpoint",
      content: <TouchpointForm accountId={account.id} contacts={data.contacts} colleagues={data.colleagues} today={today} />,
    });
  }
  if (has("task")) {
    panels.push({ key: "task", label: "Create task", title: "Create a task", content: <TaskForm accountId={account.id} colleagues={data.colleagues} viewerId={ctx.viewer.userId} objectives={data.plans.flatMap((p) => p.objectives)} /> });
  }
  if (has("objective")) {
    panels.push({
      key: "objective",
      label: "Add objective",
      title: "Add an objective to a success plan",
      content: <ObjectiveForm accountId={account.id} plans={data.plans} defaultPlanName={defaultPlanName(account.name)} />,
    });
  }
  if (has("successplay")) {
    panels.push({ key: "successplay", label: "Apply SuccessPlay", title: "Apply a SuccessPlay", content: <PlaybookForm accountId={account.id} playbooks={data.playbooks} /> });
  }
  if (has("request")) {
    panels.push({
      key: "request",
      label: "Request information",
      title: "Request information",
      content: <RequestForm accountId={account.id} contacts={data.contacts} colleagues={data.colleagues} openRequests={data.openRequests} />,
    });
  }
  if (has("asset")) {
    panels.push({
      key: "asset",
      label: "Add asset",
      title: "Add an asset",
      content: (
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <section aria-labelledby="qa-upload-heading">
            <h3 id="qa-upload-heading" className="mb-2 text-sm font-semibold text-slate-800">
              Upload a file
            </h3>
            <AssetForm accountId={account.id} maxMb={Math.round(limitBytes / (1024 * 1024))} />
          </section>
          <section aria-labelledby="qa-link-heading">
            <h3 id="qa-link-heading" className="mb-2 text-sm font-semibold text-slate-800">
              Add a link
            </h3>
            <LinkAssetForm accountId={account.id} />
          </section>
        </div>
      ),
    });
  }
  const links = (
    <>
      {has("presentation") ? (
        <a href={`/api/accounts/${account.id}/presentation`} className={linkClass} data-testid="generate-presentation">
          Generate presentation
        </a>
      ) : null}
      {data.canEditProfile ? (
        <Link href={`/accounts/${account.id}/company-profile`} className={linkClass}>
          Edit company profile
        </Link>
      ) : null}
    </>
  );
  return <QuickActionsMenu panels={panels} links={links} />;
}
