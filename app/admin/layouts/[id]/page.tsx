import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { WIDGETS } from "@/lib/widgets/catalog";
import { accounts, users } from "@/db/schema";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { isUuid } from "@/lib/dal/viewer";
import { formatDate } from "@/lib/format";
import { loadLayoutCatalog } from "@/lib/layouts/catalog";
import { getLayout, layoutVersionsOf, workingDefinition } from "@/lib/layouts/manage";
import { layoutProblems } from "@/lib/layouts/validate";
import type { PaletteWidget } from "./editor-shared";
import { LayoutEditor } from "./layout-editor";
import { LayoutPreview, previewFor } from "./layout-preview";
import { TargetingForm } from "./targeting-form";
import { VersionHistory } from "./version-history";

export const metadata: Metadata = { title: "Layout editor" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The registry as the editor's palette, each widget with its settings schema as JSON Schema. */
function palette(): PaletteWidget[] {
  return WIDGETS.map((w) => ({
    key: w.key,
    title: w.title,
    description: w.description,
    zones: [...w.zones],
    settings: z.toJSONSchema(w.settings, { io: "input", unrepresentable: "any" }) as PaletteWidget["settings"],
  }));
}

export default async function LayoutEditorPage({ params, searchParams }: Props) {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "layouts.manage")) notFound();
  const [{ id }, search] = await Promise.all([params, searchParams]);
  if (!isUuid(id)) notFound();
  const layout = await getLayout(ctx, id);
  if (!layout) notFound();
  const [loaded, versions, accountRows, userRows] = await Promise.all([
    loadLayoutCatalog(ctx.db, layout.accountTypeId),
    layoutVersionsOf(ctx, layout.id),
    ctx.db
      .select({ id: accounts.id, name: accounts.name })
      .from(accounts)
      .where(and(eq(accounts.typeId, layout.accountTypeId), isNull(accounts.archivedAt)))
      .orderBy(asc(accounts.name))
      .limit(300),
    ctx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(isNull(users.disabledAt)).orderBy(asc(users.name)),
  ]);
  if (!loaded) notFound();
  const { catalog, options } = loaded;
  const working = workingDefinition(layout);
  const problems = layoutProblems(working, layout.criteria, catalog, layout.teamId);

  const previewAccount = one(search.account);
  const previewAs = one(search.as) || ctx.viewer.userId;
  const previewTab = one(search.ptab);
  const preview = previewAccount && isUuid(previewAccount) && isUuid(previewAs)
    ? await previewFor(ctx, { accountId: previewAccount, asUserId: previewAs, tab: previewTab, definition: working, accountTypeId: layout.accountTypeId })
    : null;
  const previewBase = `/admin/layouts/${layout.id}?account=${previewAccount ?? ""}&as=${previewAs}`;

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/admin/layouts" className="text-brand-700 hover:underline">
            ← Layouts
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">{layout.name}</h1>
        <p className="mt-1 text-sm text-slate-700" data-testid="layout-status">
          {options.accountType.name} profiles ·{" "}
          {layout.status === "draft" ? "draft, never published: applies to nobody yet" : `published version ${layout.version}`}
          {layout.draft && layout.status === "published" ? " · you are editing unpublished changes" : ""}
          {layout.updatedAt ? ` · last change ${formatDate(layout.updatedAt)}` : ""}
        </p>
      </div>

      <TargetingForm
        layout={{ id: layout.id, name: layout.name, teamId: layout.teamId, priority: layout.priority, criteria: layout.criteria }}
        options={options}
      />

      <LayoutEditor
        key={layout.version}
        layoutId={layout.id}
        status={layout.status}
        hasDraft={Boolean(layout.draft)}
        initialDefinition={working}
        initialProblems={problems}
        palette={palette()}
        options={options}
      />

      <section aria-labelledby="preview-heading" className="rounded-lg border border-slate-200 bg-white p-4" id="preview">
        <h2 id="preview-heading" className="text-lg font-semibold text-slate-900">
          Live preview
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          The real profile of an account as a chosen person sees it, with the layout you are editing (unpublished changes included).
          It updates after every change. Links and buttons inside act as you.
        </p>
        <form method="get" action={`/admin/layouts/${layout.id}#preview`} className="mt-3 flex flex-wrap items-end gap-3">
          <label className="text-sm text-slate-800">
            Account
            <select name="account" defaultValue={previewAccount ?? ""} required className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm">
              <option value="" disabled>
                Pick a {options.accountType.name.toLowerCase()}…
              </option>
              {accountRows.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm text-slate-800">
            As
            <select name="as" defaultValue={previewAs} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm">
              {userRows.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
            Show preview
          </button>
          {preview?.outcome === "shown" ? (
            <Link href={`/admin/layouts/${layout.id}/preview?account=${previewAccount}&as=${previewAs}`} className="text-sm text-brand-700 underline" target="_blank">
              Open full page ↗
            </Link>
          ) : null}
        </form>
        <div className="mt-4 rounded-lg border-2 border-dashed border-slate-300 bg-slate-50 p-4">
          {!preview ? (
            <p className="text-sm text-slate-600">Pick an account and a person to preview.</p>
          ) : preview.outcome === "no-viewer" ? (
            <p role="alert" className="text-sm text-red-800">That person cannot sign in (missing or disabled).</p>
          ) : preview.outcome === "not-found" ? (
            <p role="status" className="text-sm text-slate-800" data-testid="preview-not-found">
              Not found: {preview.viewer.name} may not see this account, so their profile answers “not found”.
            </p>
          ) : (
            <>
              <p className="mb-3 text-xs font-medium text-slate-600" data-testid="preview-as">
                Previewing as {preview.viewer.name} ({preview.viewer.role})
              </p>
              <LayoutPreview
                preview={preview}
                definition={working}
                accountTypeId={layout.accountTypeId}
                tabHref={(tab) => `${previewBase}${tab ? `&ptab=${encodeURIComponent(tab)}` : ""}#preview`}
              />
            </>
          )}
        </div>
      </section>

      <VersionHistory
        layoutId={layout.id}
        current={layout.status === "published" ? layout.version : null}
        versions={versions.map((v, i) => ({
          version: v.version,
          publishedAt: v.publishedAt.toISOString(),
          publishedLabel: formatDate(v.publishedAt),
          publishedByName: v.publishedByName,
          sameAs: versions.slice(i + 1).find((older) => JSON.stringify(older.definition) === JSON.stringify(v.definition))?.version ?? null,
        }))}
      />
    </div>
  );
}
