import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { isUuid } from "@/lib/dal/viewer";
import { getLayout, workingDefinition } from "@/lib/layouts/manage";
import { LayoutPreview, previewFor } from "../layout-preview";

export const metadata: Metadata = { title: "Layout preview" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * A full-page preview: `?account=…&as=…[&tab=…]` renders that account's profile as that user sees
 * it, with the layout's draft. A person who may not see the account gets "not found", as on their
 * real profile.
 */
export default async function LayoutPreviewPage({ params, searchParams }: Props) {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "layouts.manage")) notFound();
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const accountId = one(search.account);
  const asUserId = one(search.as) || ctx.viewer.userId;
  if (!isUuid(id) || !isUuid(accountId) || !isUuid(asUserId)) notFound();
  const layout = await getLayout(ctx, id);
  if (!layout) notFound();
  const definition = workingDefinition(layout);
  const preview = await previewFor(ctx, { accountId, asUserId, tab: one(search.tab), definition, accountTypeId: layout.accountTypeId });
  if (preview.outcome !== "shown") notFound();
  const base = `/admin/layouts/${layout.id}/preview?account=${accountId}&as=${asUserId}`;
  return (
    <div className="space-y-4">
      <p className="rounded-md border border-brand-500 bg-brand-50 px-3 py-2 text-sm text-slate-800" data-testid="preview-as">
        Preview of the draft of “{layout.name}” as {preview.viewer.name} ({preview.viewer.role}).{" "}
        <Link href={`/admin/layouts/${layout.id}`} className="text-brand-700 underline">
          Back to the editor
        </Link>
      </p>
      <LayoutPreview preview={preview} definition={definition} accountTypeId={layout.accountTypeId} tabHref={(tab) => `${base}${tab ? `&tab=${encodeURIComponent(tab)}` : ""}`} />
    </div>
  );
}
