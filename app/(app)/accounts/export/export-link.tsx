import { DownloadCsvLink } from "@/components/download-csv-link";

/** The accounts list's "Download CSV": `/accounts/export?<the list's query>` (every page, so no `page`). */
export function AccountsExportLink({ params }: { params: Record<string, string | string[] | undefined> }) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (name !== "page" && first) query.set(name, first);
  }
  const qs = query.toString();
  return (
    <p className="text-right">
      <DownloadCsvLink href={`/accounts/export${qs ? `?${qs}` : ""}`} />
    </p>
  );
}
