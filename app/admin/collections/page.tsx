import type { Metadata } from "next";
import { SectionCard } from "@/components/section-card";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { accountTypeChoices, COLUMN_TYPES, formatColumns, listAccountGroups, listCollections } from "@/lib/data-model/collections";
import { AdminForm } from "../_components/admin-form";
import {
  createAccountGroupAction,
  createCollectionAction,
  deleteAccountGroupAction,
  deleteCollectionAction,
  renameAccountGroupAction,
  updateCollectionAction,
} from "./actions";

export const metadata: Metadata = { title: "Collections and account groups" };

const columnsHint = `One column a line: key | Label | type (${COLUMN_TYPES.join(", ")}).`;

export default async function CollectionsPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "dataModel.manage")) notFound();
  const [collections, groups, types] = await Promise.all([
    listCollections(ctx),
    listAccountGroups(ctx),
    accountTypeChoices(ctx),
  ]);
  const typeOptions = [{ value: "", label: "Every account type" }, ...types.map((t) => ({ value: t.id, label: t.name }))];
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Collections and account groups</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Collections are tables of related records (opportunities, contracts…) shown by the Collection widget on the account types you
          pick. Editing columns keeps the stored values; a collection can be deleted only once it holds no records.
        </p>
      </div>
      {collections.map((c) => (
        <section key={c.id} aria-labelledby={`collection-${c.id}`} className="rounded-lg border border-slate-200 bg-white p-4" data-testid={`collection-${c.key}`}>
          <h2 id={`collection-${c.id}`} className="mb-2 text-lg font-semibold text-slate-900">
            {c.name} <span className="font-mono text-xs font-normal text-slate-600">{c.key}</span>{" "}
            <span className="text-xs font-normal text-slate-600">
              · {c.accountTypeName ?? "every account type"} · {c.records} record{c.records === 1 ? "" : "s"}
            </span>
          </h2>
          <AdminForm
            action={updateCollectionAction}
            id={`update-${c.id}`}
            hidden={{ collectionId: c.id }}
            submit="Save"
            fields={[
              { kind: "text", name: "name", label: "Name", value: c.name },
              { kind: "select", name: "accountTypeId", label: "Shown on", value: c.accountTypeId ?? "", options: typeOptions },
              { kind: "textarea", name: "columns", label: "Columns", value: formatColumns(c.columns), hint: columnsHint, wide: true },
            ]}
          />
          <div className="mt-2">
            <AdminForm action={deleteCollectionAction} id={`delete-${c.id}`} compact hidden={{ collectionId: c.id }} submit="Delete collection" fields={[]} />
          </div>
        </section>
      ))}
      <SectionCard id="new-collection-heading" title="New collection" size="regular">
        <AdminForm
          action={createCollectionAction}
          id="new-collection"
          submit="Create collection"
          fields={[
            { kind: "text", name: "name", label: "Name", placeholder: "Contracts" },
            { kind: "text", name: "key", label: "Key", placeholder: "contracts" },
            { kind: "select", name: "accountTypeId", label: "Shown on", value: "", options: typeOptions },
            { kind: "textarea", name: "columns", label: "Columns", placeholder: "name | Contract | text\nvalue | Value | currency\nends | Ends | date", hint: columnsHint, wide: true },
          ]}
        />
      </SectionCard>
      <section aria-labelledby="groups-heading" className="rounded-lg border border-slate-200 bg-white">
        <div className="border-b border-slate-100 px-4 py-3">
          <h2 id="groups-heading" className="text-lg font-semibold text-slate-900">
            Account groups
          </h2>
          <p className="text-sm text-slate-700">Picked on an account&apos;s company profile. A group can be deleted once no account is in it.</p>
        </div>
        <ul className="divide-y divide-slate-100">
          {groups.map((g) => (
            <li key={g.id} className="flex flex-wrap items-end gap-3 px-4 py-2.5">
              <div className="min-w-72 flex-1">
                <AdminForm
                  action={renameAccountGroupAction}
                  id={`group-${g.id}`}
                  compact
                  hidden={{ groupId: g.id }}
                  submit="Rename"
                  fields={[{ kind: "text", name: "name", label: `${g.accounts} account${g.accounts === 1 ? "" : "s"}`, value: g.name }]}
                />
              </div>
              <AdminForm action={deleteAccountGroupAction} id={`delete-group-${g.id}`} compact hidden={{ groupId: g.id }} submit="Delete" fields={[]} />
            </li>
          ))}
        </ul>
        <div className="border-t border-slate-100 px-4 py-3">
          <AdminForm action={createAccountGroupAction} id="new-group" compact submit="Create group" fields={[{ kind: "text", name: "name", label: "New group", placeholder: "Strategic accounts" }]} />
        </div>
      </section>
    </div>
  );
}
