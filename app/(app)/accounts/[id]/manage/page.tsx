import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { findAccount, findArchivedAccount } from "@/lib/dal/accounts";
import { redirectIfMerged } from "@/lib/dal/merged";
import { requireContext } from "@/lib/dal/session";
import { mergeCandidates, placementOptions } from "@/lib/hierarchy/account-actions";
import { ArchiveForm, CreateSubAccountForm, DeleteForm, MergeForm, MoveForm, RenameForm } from "./manage-forms";

export const metadata: Metadata = { title: "Manage account" };

/** Rename, move, add a sub-account, merge a duplicate, archive or delete: each shown to the roles that may. */
export default async function ManageAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireContext();
  const { id } = await params;
  const account = await findAccount(ctx, id);
  const caps = {
    edit: may(ctx.viewer, "accounts.edit"),
    create: may(ctx.viewer, "accounts.create"),
    archive: may(ctx.viewer, "accounts.archive"),
    remove: may(ctx.viewer, "accounts.delete"),
    merge: may(ctx.viewer, "accounts.merge"),
  };
  if (!Object.values(caps).some(Boolean)) notFound();
  if (!account) {
    // Just archived (the archive action re-renders this page): its profile shows the banner with Restore.
    if (await findArchivedAccount(ctx, id)) redirect(`/accounts/${id}`);
    return redirectIfMerged(ctx, id, "/manage");
  }
  const [options, candidates] = await Promise.all([placementOptions(ctx, account), caps.merge ? mergeCandidates(ctx, account) : Promise.resolve([])]);
  const card = "rounded-lg border border-slate-200 bg-white p-4";
  return (
    <div className="max-w-3xl space-y-4">
      <div>
        <Link href={`/accounts/${account.id}`} className="text-sm text-brand-700 underline">
          ← {account.name}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Manage {account.name}</h1>
        <p className="text-sm text-slate-600">{account.typeName}</p>
      </div>
      {caps.edit ? (
        <section className={card} aria-labelledby="rename-heading">
          <h2 id="rename-heading" className="font-semibold">Rename</h2>
          <RenameForm accountId={account.id} name={account.name} />
        </section>
      ) : null}
      {caps.edit ? (
        <section className={card} aria-labelledby="move-heading">
          <h2 id="move-heading" className="font-semibold">Move</h2>
          <p className="mt-1 text-sm text-slate-700" data-testid="placement-rule">
            {options.rule} It moves with everything below it; no account can move under its own sub-account.
          </p>
          <MoveForm accountId={account.id} parents={options.parents} topLevel={options.rule.includes("top-level")} />
        </section>
      ) : null}
      {caps.create && options.childTypes.length ? (
        <section className={card} aria-labelledby="create-heading">
          <h2 id="create-heading" className="font-semibold">Add a sub-account</h2>
          <CreateSubAccountForm parentId={account.id} types={options.childTypes} />
        </section>
      ) : null}
      {caps.merge ? (
        <section className={card} aria-labelledby="merge-heading">
          <h2 id="merge-heading" className="font-semibold">Merge a duplicate</h2>
          <p className="mt-1 text-sm text-slate-700" data-testid="merge-summary">
            Pick another {account.typeName.toLowerCase()} that is the same customer. Its sub-accounts, activity, contacts, contracts, invoices, tickets,
            usage, assets and history move to {account.name}; where both have a value, {account.name}&apos;s is kept. The duplicate is then deleted and
            its links lead here. This cannot be undone.
          </p>
          {candidates.length ? (
            <MergeForm accountId={account.id} name={account.name} candidates={candidates} />
          ) : (
            <p className="mt-2 text-sm text-slate-600">There is no other {account.typeName.toLowerCase()} to merge.</p>
          )}
        </section>
      ) : null}
      {caps.archive ? (
        <section className={card} aria-labelledby="archive-heading">
          <h2 id="archive-heading" className="font-semibold">Archive</h2>
          <p className="mt-1 text-sm text-slate-700" data-testid="archive-summary">
            {options.subAccounts
              ? `Archiving takes ${account.name} and everything below it (${options.subAccounts} direct sub-account${options.subAccounts === 1 ? "" : "s"}) out of every list and rollup.`
              : `Archiving takes ${account.name} out of every list and rollup.`}{" "}
            The data is kept, and an admin or member can restore it from its profile.
          </p>
          <ArchiveForm accountId={account.id} name={account.name} />
        </section>
      ) : null}
      {caps.remove ? (
        <section className="rounded-lg border border-red-200 bg-white p-4" aria-labelledby="delete-heading">
          <h2 id="delete-heading" className="font-semibold text-red-900">Delete for good</h2>
          <p className="mt-1 text-sm text-slate-700" data-testid="delete-summary">
            {options.subAccounts
              ? `${account.name} has ${options.subAccounts} sub-account${options.subAccounts === 1 ? "" : "s"}: move or delete ${options.subAccounts === 1 ? "it" : "them"} first.`
              : `Deleting ${account.name} deletes its ${options.records.toLocaleString("en-US")} record${options.records === 1 ? "" : "s"} (touchpoints, tasks, contracts, tickets, usage events, assets, timeline) with it. This cannot be undone.`}
          </p>
          {options.subAccounts ? null : <DeleteForm accountId={account.id} name={account.name} />}
        </section>
      ) : null}
    </div>
  );
}
