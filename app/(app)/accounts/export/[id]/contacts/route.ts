import { contactsOfAccount, type AccountContact } from "@/lib/dal/contacts";
import { openAccountExport } from "@/lib/export/account-export";
import { exportFileName, type CsvColumn } from "@/lib/export/csv";
import { csvResponse } from "@/lib/export/response";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Contacts of an account with their role there, key contacts first (what the contacts widget lists, all of them). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const opened = await openAccountExport(request, (await params).id, []);
  if (!opened.ok) return opened.response;
  const { ctx, account } = opened;
  const columns: CsvColumn<AccountContact>[] = [
    { header: "Name", value: (c) => c.name },
    { header: "Title", value: (c) => c.title },
    { header: "Email", value: (c) => c.email },
    { header: "Role", value: (c) => c.role },
    { header: "Key contact", value: (c) => c.isKey },
  ];
  // An account has tens of contacts, not thousands: one read, capped.
  async function* rows() {
    yield (await contactsOfAccount(ctx, account, 10_000)).contacts;
  }
  return csvResponse(exportFileName([account.name, "contacts"]), columns, rows());
}
