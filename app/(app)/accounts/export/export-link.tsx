import { DownloadCsvLink } from "@/components/download-csv-link";

/** The accounts list's "Download CSV": `/accounts/export?<the list's query>` (every page, so no `page`). */
export function AccountsExportLink({ query }: { query: string }) {
  return <DownloadCsvLink href={`/accounts/export${query ? `?${query}` : ""}`} />;
}
