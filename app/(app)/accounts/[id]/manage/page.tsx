import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { findAccount } from "@/lib/dal/accounts";
import { requireContext } from "@/lib/dal/session";
import { placementOptions } from "@/lib/hierarchy/account-actions";
import { ArchiveForm, CreateSubAccountForm, DeleteForm, MoveForm, RenameForm } from "./manage-forms";

export const metadata: Metadata = { title: "Manage account" };

/** Rename, move, add a sub-account, archive or delete: each shown to the roles that may. */
export default async function ManageAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireContext();
  const account = await findAccount(ctx, (await params).id);
  const caps = {
    edit: may(ctx.viewer, "accounts.edit"),
    create: may(ctx.viewer, "accounts.create"),
    archive: may(ctx.viewer, "accounts.archive"),
    remove: may(ctx.viewer, "accounts.delete"),
  };
  if (!account || !Object.values(caps).some(Boolean)) notFound();
  const options = await placementOptions(ctx, account);
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
      {caps.archive ? (
        <section className={card} aria-labelledby="archive-heading">
          <h2 id="archive-heading" className="font-semibold">Archive</h2>
          <p className="mt-1 text-sm text-slate-700">
            Archiving takes {account.name} and its {options.subAccounts} direct sub-account{options.subAccounts === 1 ? "" : "s"} (and everything below) out of
            every list and rollup. Their data is kept.
          </p>
          <ArchiveForm accountId={account.id} />
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
