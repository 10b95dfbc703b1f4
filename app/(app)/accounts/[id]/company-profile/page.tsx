import type { Metadata } from "next";
import Link from "next/link";
import { CompanyProfileForm, type ProfileField } from "@/components/profile/edit/company-profile-form";
import { TagsEditor } from "@/components/profile/edit/tags-editor";
import { may } from "@/lib/auth/permissions";
import { COMPANY_PROFILE_KEYS } from "@/lib/attributes/company-profile";
import { attributeInputValue } from "@/lib/attributes/values";
import { findAccount } from "@/lib/dal/accounts";
import { redirectIfMerged } from "@/lib/dal/merged";
import { accountGroupsOf, tagsOf } from "@/lib/dal/attributes";
import { allAccountGroups, allTagNames, attributesForEditing } from "@/lib/dal/attributes";
import { revenueSummary } from "@/lib/dal/revenue";
import { getContext, requireContext } from "@/lib/dal/session";
import { formatCurrency } from "@/lib/format";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const ctx = await getContext();
  const account = ctx ? await findAccount(ctx, (await params).id) : null;
  return { title: account ? `Company profile · ${account.name}` : "Account not found" };
}

/**
 * The company profile, the account's own facts as the team edits them: executive summary, MRR override (with the computed MRR beside it),
 * number of employees, tags, account groups, date acquired, yearly revenue and year established.
 * Attributes save through the attribute-edit path (versions, history, timeline); tags and groups
 * have their own.
 */
export default async function CompanyProfilePage({ params }: Props) {
  const ctx = await requireContext();
  const { id } = await params;
  const account = await findAccount(ctx, id);
  if (!account) return redirectIfMerged(ctx, id, "/company-profile");
  const mayEdit = may(ctx.viewer, "attribute.edit");
  const [attributes, revenue, tags, groups, memberOf, suggestions] = await Promise.all([
    attributesForEditing(ctx, account),
    revenueSummary(ctx, account),
    tagsOf(ctx, account),
    allAccountGroups(ctx),
    accountGroupsOf(ctx, account),
    allTagNames(ctx),
  ]);
  const byKey = new Map(attributes.map((a) => [a.key, a]));
  const contracts = `${revenue.contractCount} active contract${revenue.contractCount === 1 ? "" : "s"}`;
  const fields: ProfileField[] = COMPANY_PROFILE_KEYS.flatMap((key) => {
    const a = byKey.get(key);
    if (!a) return [];
    return [
      {
        key,
        label: a.label,
        dataType: a.dataType,
        initial: attributeInputValue(a.dataType, a.value),
        version: a.version ?? 0,
        editable: mayEdit && a.editable,
        note:
          key === "mrr_override"
            ? `Computed MRR: ${formatCurrency(revenue.computedMrr)} from ${contracts} (excluded contracts left out). ${
                revenue.override !== null ? "The override is in use." : "No override: the computed value is used."
              } Leave empty to use the computed value.`
            : key === "year_established"
              ? "A year, such as 1998."
              : key === "employees"
                ? "A whole number; adjust it when the synced figure is wrong."
                : undefined,
      },
    ];
  });

  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/accounts/${account.id}`} className="text-brand-700 underline-offset-2 hover:underline">
          ← {account.name}
        </Link>
      </nav>
      <h1 className="text-2xl font-semibold">Company profile</h1>
      <p className="text-sm text-slate-600">
        {account.name} · {account.typeName}. Every change is kept in the attribute history and on the timeline.
      </p>
      {!mayEdit ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Your role can read this profile but not change it.
        </p>
      ) : null}
      <section aria-labelledby="cp-details" className="rounded-lg border border-slate-200 bg-white px-5 py-4">
        <h2 id="cp-details" className="mb-3 text-base font-semibold">
          Details
        </h2>
        {fields.length === 0 && !groups.length ? (
          <p className="text-sm text-slate-600">This account type has no company-profile attributes.</p>
        ) : mayEdit ? (
          <CompanyProfileForm accountId={account.id} fields={fields} groups={groups} memberOf={memberOf.map((g) => g.id)} />
        ) : (
          <dl className="space-y-3 text-sm">
            {fields.map((f) => (
              <div key={f.key}>
                <dt className="text-xs text-slate-600">{f.label}</dt>
                <dd className="whitespace-pre-line text-slate-900">{f.initial || "—"}</dd>
              </div>
            ))}
            <div>
              <dt className="text-xs text-slate-600">Account groups</dt>
              <dd className="text-slate-900">{memberOf.map((g) => g.name).join(", ") || "—"}</dd>
            </div>
          </dl>
        )}
      </section>
      <section aria-labelledby="cp-tags" className="rounded-lg border border-slate-200 bg-white px-5 py-4">
        <h2 id="cp-tags" className="mb-3 text-base font-semibold">
          Tags
        </h2>
        {mayEdit ? (
          <TagsEditor accountId={account.id} tags={tags} suggestions={suggestions} />
        ) : (
          <p className="text-sm text-slate-700">{tags.map((t) => t.name).join(", ") || "No tags."}</p>
        )}
      </section>
    </div>
  );
}
