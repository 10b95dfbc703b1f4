/**
 * "Download CSV" next to a list: a plain link to the list's export route (lib/export), which applies
 * the viewer's scope and the list's own filters. No JavaScript: the browser downloads the file.
 */
export function DownloadCsvLink({ href, label = "Download CSV", className = "" }: { href: string; label?: string; className?: string }) {
  return (
    <a href={href} download className={`text-sm text-brand-700 underline underline-offset-2 hover:text-brand-600 print:hidden ${className}`} data-export="csv">
      {label}
    </a>
  );
}
