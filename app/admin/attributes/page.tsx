import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DATA_TYPES } from "@/lib/attributes/values";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { isUuid } from "@/lib/dal/viewer";
import { listAttributeDefinitions, ROLLUP_RULES, type AttributeDefinitionRow } from "@/lib/data-model/attributes";
import { listFieldGroups } from "@/lib/data-model/field-groups";
import { listAccountTypesWithParents } from "@/lib/hierarchy/account-types";
import { formatNumber } from "@/lib/format";
import { AdminForm, type AdminField } from "../_components/admin-form";
import { archiveAttributeAction, createAttributeAction, createFieldGroupAction, restoreAttributeAction, updateAttributeAction, updateFieldGroupAction } from "./actions";
import { SectionCard } from "@/components/section-card";

export const metadata: Metadata = { title: "Attributes" };

const RULE_LABELS: Record<string, string> = { none: "None (typed in)", sum: "Sum", avg: "Average", min: "Minimum", max: "Maximum", count: "Count" };
const typeLabel = (value: string) => DATA_TYPES.find((t) => t.value === value)?.label ?? value;

function definitionFields(groups: { value: string; label: string }[], d?: AttributeDefinitionRow): AdminField[] {
  return [
    { kind: "text", name: "label", label: "Label", value: d?.label ?? "" },
    { kind: "select", name: "dataType", label: "Data type", value: d?.dataType ?? "text", options: DATA_TYPES.map((t) => ({ value: t.value, label: t.label })) },
    { kind: "textarea", name: "options", label: "Options (select and multi-select)", value: d?.options?.join("\n") ?? "", hint: "One per line.", placeholder: "Gold\nSilver\nBronze" },
    { kind: "select", name: "groupId", label: "Field group", value: d?.groupId ?? "", options: [{ value: "", label: "No group" }, ...groups] },
    { kind: "text", name: "position", label: "Order", value: String(d?.position ?? 0) },
    {
      kind: "select",
      name: "rollupRule",
      label: "Roll up from sub-accounts",
      value: d?.rollupRule ?? "none",
      options: ROLLUP_RULES.map((r) => ({ value: r, label: RULE_LABELS[r] })),
      hint: "A rolled-up attribute is computed from the accounts below, never typed in.",
    },
    { kind: "text", name: "rollupSourceKey", label: "Key rolled up (on the types below)", value: d?.rollupSourceKey ?? "", hint: "Empty: the same key." },
    { kind: "checkbox", name: "keyInfo", label: "Key info (shown in the profile header)", checked: d?.keyInfo ?? false },
    { kind: "checkbox", name: "privileged", label: "Privileged (only admins and assigned people read it)", checked: d?.privileged ?? false },
  ];
}

export default async function AttributesPage({ searchParams }: { searchParams: Promise<{ type?: string }> }) {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "dataModel.manage")) notFound();
  const { type } = await searchParams;
  const types = await listAccountTypesWithParents(ctx);
  const selected = types.find((t) => t.id === (isUuid(type) ? type : undefined)) ?? types[0];
  const [definitions, groups] = selected ? await Promise.all([listAttributeDefinitions(ctx, selected.id), listFieldGroups(ctx, selected.id)]) : [[], []];
  const groupOptions = groups.map((g) => ({ value: g.id, label: g.name }));
  const groupName = new Map(groups.map((g) => [g.id, g.name]));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Attributes</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          The fields each account type holds. An attribute that has values is archived, not deleted: it leaves profiles and forms, and its
          values and history stay. Changing the data type converts the stored values, or is refused when some would not convert.
        </p>
      </div>
      <nav aria-label="Account type" className="flex flex-wrap gap-2">
        {types.map((t) => (
          <Link
            key={t.id}
            href={`/admin/attributes?type=${t.id}`}
            aria-current={t.id === selected?.id ? "page" : undefined}
            className={`rounded-full border px-3 py-1 text-sm ${t.id === selected?.id ? "border-brand-700 bg-brand-700 text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50"}`}
          >
            {t.name}
          </Link>
        ))}
      </nav>
      {selected ? (
        <>
          <SectionCard id="attributes-heading" title={<>{definitions.length} attributes of {selected.name}</>} size="regular" flush>
            {definitions.length === 0 ? <p className="px-4 py-3 text-sm text-slate-600">None yet: add the first one below.</p> : null}
            <ul className="divide-y divide-slate-100">
              {definitions.map((d) => (
                <li key={d.id} className="px-4 py-3" data-testid={`attribute-${d.key}`}>
                  <details>
                    <summary className="cursor-pointer text-sm">
                      <span className={`font-medium ${d.archived ? "text-slate-500 line-through" : "text-slate-900"}`}>{d.label}</span>{" "}
                      <span className="font-mono text-xs text-slate-600">{d.key}</span>
                      <span className="ml-2 text-xs text-slate-700">
                        {typeLabel(d.dataType)}
                        {d.groupId ? ` · ${groupName.get(d.groupId) ?? ""}` : ""}
                        {d.rollupRule !== "none" ? ` · ${RULE_LABELS[d.rollupRule]} of ${d.rollupSourceKey}` : ""}
                        {d.keyInfo ? " · key info" : ""}
                        {d.privileged ? " · privileged" : ""} · {formatNumber(d.values)} values
                      </span>
                      {d.archived ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">Archived</span> : null}
                    </summary>
                    <div className="mt-3 space-y-3">
                      {d.archived ? null : (
                        <AdminForm action={updateAttributeAction} id={`edit-${d.id}`} hidden={{ attributeId: d.id }} submit={`Save ${d.label}`} fields={definitionFields(groupOptions, d)} />
                      )}
                      {d.archived ? (
                        <AdminForm action={restoreAttributeAction} id={`restore-${d.id}`} hidden={{ attributeId: d.id }} submit="Restore" fields={[]} />
                      ) : (
                        <AdminForm
                          action={archiveAttributeAction}
                          id={`archive-${d.id}`}
                          hidden={{ attributeId: d.id }}
                          submit={d.values ? "Archive" : "Delete"}
                          confirm={d.values ? `Archive “${d.label}”? It leaves profiles and forms; its values and history are kept.` : `Delete “${d.label}”? It holds no values.`}
                          fields={[]}
                        />
                      )}
                    </div>
                  </details>
                </li>
              ))}
            </ul>
          </SectionCard>
          <SectionCard id="groups-heading" title={<>Field groups of {selected.name}</>} size="regular">
            <p className="mt-1 mb-3 text-sm text-slate-700">
              Every layout of the type shows featured groups first and the others under “Show full list”, in this order.
            </p>
            <ul className="space-y-3">
              {groups.map((g) => (
                <li key={g.id} data-testid={`group-${g.name}`}>
                  <AdminForm
                    action={updateFieldGroupAction}
                    id={`group-${g.id}`}
                    compact
                    hidden={{ groupId: g.id }}
                    submit="Save group"
                    fields={[
                      { kind: "text", name: "name", label: `Name (${g.attributes} attributes)`, value: g.name },
                      { kind: "text", name: "position", label: "Order", value: String(g.position) },
                      { kind: "checkbox", name: "featured", label: "Featured", checked: g.featured },
                    ]}
                  />
                </li>
              ))}
            </ul>
            <div className="mt-4 border-t border-slate-100 pt-3">
              <AdminForm
                action={createFieldGroupAction}
                id="new-group"
                compact
                hidden={{ accountTypeId: selected.id }}
                submit="Add group"
                fields={[
                  { kind: "text", name: "name", label: "New group", placeholder: "Commercial" },
                  { kind: "text", name: "position", label: "Order", value: String(groups.length) },
                  { kind: "checkbox", name: "featured", label: "Featured" },
                ]}
              />
            </div>
          </SectionCard>
          <SectionCard id="new-attribute-heading" title={<>New {selected.name} attribute</>} size="regular">
            <AdminForm
              action={createAttributeAction}
              id="new-attribute"
              hidden={{ accountTypeId: selected.id }}
              submit="Create attribute"
              fields={[{ kind: "text", name: "key", label: "Key", hint: "Lowercase letters, digits and underscores; the API and CSV use it.", placeholder: "renewal_risk" }, ...definitionFields(groupOptions)]}
            />
          </SectionCard>
        </>
      ) : (
        <p className="text-sm text-slate-700">Create an account type first.</p>
      )}
    </div>
  );
}
