import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { listAccountTypesWithParents } from "@/lib/hierarchy/account-types";
import { formatNumber } from "@/lib/format";
import { AdminForm } from "../_components/admin-form";
import { AllowedParentsForm, CreateAccountTypeForm, type TypeOption } from "./account-type-forms";
import { ScrollRegion } from "@/components/scroll-region";
import { deleteAccountTypeAction, updateAccountTypeAction } from "./actions";
import { SectionCard } from "@/components/section-card";

export const metadata: Metadata = { title: "Account types" };

export default async function AccountTypesPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "accountTypes.manage")) notFound();
  const types = await listAccountTypesWithParents(ctx);
  const nameOf = new Map(types.map((t) => [t.id, t.name]));
  const options: TypeOption[] = types.map((t) => ({ id: t.id, name: t.name, isOpportunity: t.isOpportunity }));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Account types</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          The kinds of account in the hierarchy and which type may sit under which. Creating or moving an account checks these
          rules. Opportunity is reserved: it is never a parent.
        </p>
      </div>

      <SectionCard id="types-heading" title={<>{types.length} account types</>} size="regular" flush>
        <ScrollRegion label="Account types">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Type</th>
                <th scope="col" className="px-4 py-2 font-medium">Level</th>
                <th scope="col" className="px-4 py-2 font-medium">Asset limit</th>
                <th scope="col" className="px-4 py-2 font-medium">Accounts</th>
                <th scope="col" className="px-4 py-2 font-medium">May sit under</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {types.map((t) => (
                <tr key={t.id}>
                  <th scope="row" className="px-4 py-2 text-left font-medium text-slate-900">
                    {t.name} <span className="font-mono text-xs font-normal text-slate-600">{t.key}</span>
                    {t.isOpportunity ? <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">Reserved</span> : null}
                  </th>
                  <td className="px-4 py-2 tabular-nums">{t.level}</td>
                  <td className="px-4 py-2 tabular-nums">{t.assetLimitMb} MB</td>
                  <td className="px-4 py-2 tabular-nums">{formatNumber(t.accounts)}</td>
                  <td className="px-4 py-2" data-testid={`parents-${t.key}`}>
                    {t.parentTypeIds.length ? t.parentTypeIds.map((id) => nameOf.get(id) ?? "?").join(", ") : <span className="text-slate-600">Top level (no parent)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </SectionCard>

      <section aria-labelledby="rules-heading" className="space-y-3">
        <h2 id="rules-heading" className="text-lg font-semibold text-slate-900">
          Hierarchy rules
        </h2>
        <ul className="grid gap-3 lg:grid-cols-2">
          {types.map((t) => (
            <li key={t.id} className="rounded-lg border border-slate-200 bg-white p-4">
              <h3 className="mb-2 text-sm font-semibold text-slate-900">{t.name}</h3>
              <AllowedParentsForm typeId={t.id} typeName={t.name} options={options} selected={t.parentTypeIds} />
              <div className="mt-3 border-t border-slate-100 pt-3">
                <AdminForm
                  action={updateAccountTypeAction}
                  id={`type-${t.id}`}
                  compact
                  hidden={{ typeId: t.id }}
                  submit={`Save ${t.name}`}
                  fields={[
                    { kind: "text", name: "name", label: "Name", value: t.name },
                    { kind: "text", name: "pluralName", label: "Plural", value: t.pluralName },
                    { kind: "text", name: "assetLimitMb", label: "Asset limit (MB)", value: String(t.assetLimitMb) },
                  ]}
                />
              </div>
              {t.isOpportunity ? null : (
                <div className="mt-3">
                  <AdminForm action={deleteAccountTypeAction} id={`delete-type-${t.id}`} hidden={{ typeId: t.id }} submit={`Delete ${t.name}`} confirm={`Delete the account type ${t.name}?`} fields={[]} />
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>

      <SectionCard id="create-heading" title="New account type" size="regular">
        <CreateAccountTypeForm options={options} />
      </SectionCard>
    </div>
  );
}
