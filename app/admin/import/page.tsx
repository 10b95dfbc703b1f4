import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { ImportWizard } from "./import-wizard";

export const metadata: Metadata = { title: "Import CSV" };

export default async function ImportPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "import.run")) notFound();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Import CSV</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Load accounts, contacts or usage events from a spreadsheet. Rows are checked and written exactly as the API writes them
          (same rules, same rollups); rows with a problem are listed with their line and skipped.
        </p>
      </div>
      <ImportWizard />
    </div>
  );
}
