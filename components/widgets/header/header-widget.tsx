import Link from "next/link";
import { may } from "@/lib/auth/permissions";
import { AttributeEditor } from "@/components/profile/attribute-editor";
import { Contained } from "@/components/profile/contained";
import {
  attributeHistory,
  attributesForEditing,
  fieldGroupsOf,
  keyInfoFor,
  recentChanges,
  type EditableAttribute,
  type FieldGroup,
  type HeaderAttribute,
} from "@/lib/dal/attributes";
import type { LayoutFieldGroup } from "@/db/schema";
import { formatDate } from "@/lib/format";
import { periodRange, profileHref, type ProfileQuery } from "@/lib/profile/query";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { AttributeValue, PrivilegedMark, RolledUpMark } from "../parts/attribute-value";
import { ChangeTable } from "./change-list";

const VIEWS = [
  { key: "key", label: "Key Info" },
  { key: "recent", label: "Recent changes" },
  { key: "all", label: "All" },
] as const;

/** The periods offered as links; any other valid period from a pasted link still works. */
const PERIOD_LINKS = [1, 7, 14, 30, 90] as const;
const RECENT_LIMIT = 200;

const pill = (active: boolean) =>
  active
    ? "rounded-md bg-brand-700 px-2.5 py-1 text-xs font-medium text-white"
    : "rounded-md px-2.5 py-1 text-xs font-medium text-brand-700 underline-offset-2 hover:bg-brand-50 hover:underline";

/**
 * The profile header: Key Info (key attributes that have a value), Recent changes (old and new
 * value over a chosen period) and All (every attribute by field group, with search and history).
 * The view, period, search and opened history all live in the URL.
 */
export type HeaderSettings = { title?: string; attributes: string[] };

export async function HeaderWidget({ ctx, account, query, settings, layout }: WidgetProps<HeaderSettings>) {
  const views = (
    <nav aria-label="Header views">
      <ul className="flex gap-1">
        {VIEWS.map((v) => (
          <li key={v.key}>
            <Link prefetch={false}
              href={profileHref(account.id, query.raw, { view: v.key, attribute: undefined, q: undefined, page: undefined })}
              aria-current={query.view === v.key ? "page" : undefined}
              className={pill(query.view === v.key)}
            >
              {v.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
  const title = query.view === "key" && settings.title ? settings.title : (VIEWS.find((v) => v.key === query.view)?.label ?? "Key Info");
  return (
    <WidgetCard title={title} id="profile-header" action={views}>
      {/* Each view loads its own data: one that fails shows its notice inside the header. */}
      {query.view === "recent" ? (
        <Contained part="Recent changes" render={RecentChangesView} props={{ ctx, account, query }} accountId={account.id} />
      ) : query.view === "all" ? (
        <Contained part="All attributes" render={AllAttributesView} props={{ ctx, account, query, layoutGroups: layout?.fieldGroups }} accountId={account.id} />
      ) : (
        <Contained part="Key Info" render={KeyInfoView} props={{ ctx, account, keys: settings.attributes ?? [] }} accountId={account.id} />
      )}
    </WidgetCard>
  );
}

/** For admins only: attributes a layout names that no longer exist are skipped, and said so. */
function MissingAttributesNotice({ ctx, missing }: { ctx: WidgetProps["ctx"]; missing: string[] }) {
  if (!missing.length || !may(ctx.viewer, "profile.diagnose")) return null;
  return (
    <p className="mb-2 rounded-md border border-dashed border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900">
      Layout notice: attribute{missing.length === 1 ? "" : "s"} {missing.map((k) => `“${k}”`).join(", ")} no longer exist{missing.length === 1 ? "s" : ""} and{" "}
      {missing.length === 1 ? "was" : "were"} skipped.
    </p>
  );
}

async function KeyInfoView({ ctx, account, keys }: Pick<WidgetProps, "ctx" | "account"> & { keys: string[] }) {
  const { attributes, missing } = await keyInfoFor(ctx, account, keys);
  const notice = <MissingAttributesNotice ctx={ctx} missing={missing} />;
  if (attributes.length === 0) {
    return (
      <>
        {notice}
        <EmptyState>No key information has a value yet. See All for every attribute.</EmptyState>
      </>
    );
  }
  return (
    <>
      {notice}
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="key-info">
        {attributes.map((a) => (
          <div key={a.id} className="min-w-0">
            <dt className="text-xs text-slate-600">
              {a.label}
              {a.rolledUp ? <RolledUpMark accountId={account.id} attributeKey={a.key} /> : null}
              {a.privileged ? <PrivilegedMark /> : null}
            </dt>
            <dd className={`mt-0.5 text-sm font-semibold text-slate-900 ${a.dataType === "text" ? "line-clamp-3 font-normal" : "tabular-nums"}`} title={typeof a.value === "string" ? a.value : undefined}>
              <AttributeValue dataType={a.dataType} value={a.value} />
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function RangeForm({ account, query }: { account: WidgetProps["account"]; query: ProfileQuery }) {
  return (
    <form method="get" action={`/accounts/${account.id}`} className="flex flex-wrap items-end gap-2" aria-label="Custom date range">
      {query.tab ? <input type="hidden" name="tab" value={query.tab} /> : null}
      <input type="hidden" name="view" value="recent" />
      <label className="flex flex-col text-xs text-slate-600">
        From
        <input type="date" name="from" defaultValue={query.from} required className="mt-0.5 rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900" />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        To
        <input type="date" name="to" defaultValue={query.to} className="mt-0.5 rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900" />
      </label>
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50">
        Apply range
      </button>
    </form>
  );
}

async function RecentChangesView({ ctx, account, query }: Pick<WidgetProps, "ctx" | "account" | "query">) {
  const range = periodRange(query);
  const changes = await recentChanges(ctx, account, range, RECENT_LIMIT);
  const custom = Boolean(query.from);
  const described = custom
    ? `from ${formatDate(query.from)}${query.to ? ` to ${formatDate(query.to)}` : " until today"}`
    : query.period === 1
      ? "in the last day"
      : `in the last ${query.period} days`;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <nav aria-label="Period">
          <ul className="flex flex-wrap items-center gap-1">
            {PERIOD_LINKS.map((p) => (
              <li key={p}>
                <Link prefetch={false}
                  href={profileHref(account.id, query.raw, { view: "recent", period: String(p), from: undefined, to: undefined })}
                  aria-current={!custom && query.period === p ? "page" : undefined}
                  className={pill(!custom && query.period === p)}
                >
                  {p === 1 ? "1 day" : `${p} days`}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <RangeForm account={account} query={query} />
      </div>
      <p className="text-xs text-slate-600">
        {changes.length >= RECENT_LIMIT ? `The newest ${RECENT_LIMIT} changes` : `${changes.length} ${changes.length === 1 ? "change" : "changes"}`} {described}
        {changes.length >= RECENT_LIMIT ? "; narrow the period to see older ones" : ""}
      </p>
      {changes.length === 0 ? (
        <EmptyState>No attribute changed {described}.</EmptyState>
      ) : (
        <ChangeTable changes={changes} showAttribute caption={`Attribute changes ${described}`} />
      )}
    </div>
  );
}

async function AllAttributesView({ ctx, account, query, layoutGroups }: Pick<WidgetProps, "ctx" | "account" | "query"> & { layoutGroups?: LayoutFieldGroup[] }) {
  const [{ groups, total, matched, missing }, history, editing] = await Promise.all([
    fieldGroupsOf(ctx, account, query.q, layoutGroups),
    query.attribute ? attributeHistory(ctx, account, query.attribute) : Promise.resolve(null),
    attributesForEditing(ctx, account),
  ]);
  const editable = new Map(editing.filter((a) => a.editable).map((a) => [a.id, a]));
  const featured = groups.filter((g) => g.featured);
  const rest = groups.filter((g) => !g.featured);
  const restHoldsHistory = rest.some((g) => g.attributes.some((a) => a.key === query.attribute));
  const section = (g: FieldGroup) => <GroupTable key={g.name} group={g} account={account} query={query} history={history} editable={editable} />;
  return (
    <div className="space-y-4">
      <MissingAttributesNotice ctx={ctx} missing={missing} />
      <form method="get" action={`/accounts/${account.id}`} role="search" className="flex flex-wrap items-center gap-2">
        {query.tab ? <input type="hidden" name="tab" value={query.tab} /> : null}
        <input type="hidden" name="view" value="all" />
        <label htmlFor="attribute-search" className="text-xs text-slate-600">
          Search attributes
        </label>
        <input
          id="attribute-search"
          name="q"
          type="search"
          defaultValue={query.q}
          placeholder="Label or key…"
          className="w-64 rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50">
          Search
        </button>
        {query.q ? (
          <>
            <span className="text-xs text-slate-600" data-testid="attribute-match-count">
              {matched} of {total} attributes match “{query.q}”
            </span>
            <Link prefetch={false} href={profileHref(account.id, query.raw, { q: undefined, attribute: undefined })} className="text-xs text-brand-700 underline">
              Clear search
            </Link>
          </>
        ) : null}
      </form>
      {matched === 0 ? <EmptyState>{query.q ? "No attribute matches your search." : "This account type has no attributes."}</EmptyState> : null}
      {featured.map(section)}
      {rest.length ? (
        <details open={Boolean(query.q) || restHoldsHistory || featured.length === 0} className="group">
          <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline">
            Show full list ({rest.reduce((n, g) => n + g.attributes.length, 0)} more)
          </summary>
          <div className="mt-3 space-y-4">{rest.map(section)}</div>
        </details>
      ) : null}
    </div>
  );
}

function GroupTable({
  group,
  account,
  query,
  history,
  editable,
}: {
  group: FieldGroup;
  account: WidgetProps["account"];
  query: ProfileQuery;
  history: Awaited<ReturnType<typeof attributeHistory>> | null;
  /** Attributes the viewer may edit in place, by id. */
  editable: Map<string, EditableAttribute>;
}) {
  const headingId = `group-${group.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
        {group.name}
      </h3>
      <table className="mt-1 w-full text-sm">
        <thead className="sr-only">
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Value</th>
            <th scope="col">History</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {group.attributes.map((a) => (
            <AttributeRow
              key={a.id}
              attribute={a}
              account={account}
              query={query}
              history={query.attribute === a.key ? history : null}
              editable={editable.get(a.id) ?? null}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function AttributeRow({
  attribute: a,
  account,
  query,
  history,
  editable,
}: {
  attribute: HeaderAttribute;
  account: WidgetProps["account"];
  query: ProfileQuery;
  history: Awaited<ReturnType<typeof attributeHistory>> | null;
  editable: EditableAttribute | null;
}) {
  const open = query.attribute === a.key;
  const anchor = `attr-${a.key}`;
  return (
    <>
      <tr id={anchor} data-testid="attribute-row">
        <th scope="row" className="w-1/3 py-1.5 pr-3 text-left align-top font-normal text-slate-600">
          {a.label}
          {a.rolledUp ? <RolledUpMark accountId={account.id} attributeKey={a.key} /> : null}
          {a.privileged ? <PrivilegedMark /> : null}
        </th>
        <td className="py-1.5 pr-3 align-top text-slate-900">
          {editable ? (
            <AttributeEditor
              accountId={account.id}
              attribute={{ id: a.id, key: a.key, label: a.label, dataType: a.dataType, options: editable.options, value: a.value, version: a.version ?? 0 }}
            >
              <AttributeValue dataType={a.dataType} value={a.value} />
            </AttributeEditor>
          ) : (
            <AttributeValue dataType={a.dataType} value={a.value} />
          )}
        </td>
        <td className="py-1.5 text-right align-top">
          <Link prefetch={false}
            href={`${profileHref(account.id, query.raw, { view: "all", attribute: open ? undefined : a.key })}#${anchor}`}
            className="text-xs text-brand-700 underline"
          >
            {open ? "Hide history" : "History"}
            <span className="sr-only"> of {a.label}</span>
          </Link>
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={3} className="bg-slate-50 px-3 py-2" data-testid="attribute-history">
            <p className="mb-1 text-xs font-medium text-slate-700">History of {a.label}</p>
            {history && history.length ? (
              <ChangeTable changes={history} showAttribute={false} caption={`History of ${a.label}`} />
            ) : (
              <EmptyState>No change has been recorded for this attribute.</EmptyState>
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}
