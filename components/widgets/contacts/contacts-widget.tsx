import { DownloadCsvLink } from "@/components/download-csv-link";
import Link from "next/link";
import { may } from "@/lib/auth/permissions";
import { contactsOfAccount } from "@/lib/dal/contacts";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { AddContactForm, ContactLinkControls, LinkContactForm } from "./contact-forms";

/**
 * Contacts linked to the account with their role here; key contacts starred and listed first.
 * Those who may change contacts add one, link an existing one, mark key contacts and unlink here.
 */
export async function ContactsWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const edit = may(ctx.viewer, "contacts.edit");
  const { contacts, total } = await contactsOfAccount(ctx, account, 12);
  return (
    <WidgetCard title={settings.title ?? "Contacts"} id="contacts" action={total ? <span className="text-xs text-slate-600">{total}</span> : undefined}>
      {contacts.length === 0 ? (
        <EmptyState>No contacts are linked to this account.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {contacts.map((c) => (
            <li key={c.id} className="flex items-start justify-between gap-2 py-1.5 text-sm" data-testid="account-contact">
              <div className="min-w-0">
                <div className="flex items-center gap-1">
                  {c.isKey ? (
                    <span className="text-amber-700" title="Key contact">
                      <span aria-hidden="true">★</span>
                      <span className="sr-only">Key contact:</span>
                    </span>
                  ) : null}
                  <Link prefetch={false} href={`/contacts/${c.id}`} className="font-medium text-brand-700 underline">
                    {c.name}
                  </Link>
                </div>
                <p className="text-xs text-slate-600">
                  {c.role}
                  {c.title ? ` · ${c.title}` : ""}
                </p>
              </div>
              {edit ? <ContactLinkControls accountId={account.id} contactId={c.id} name={c.name} isKey={c.isKey} /> : null}
            </li>
          ))}
        </ul>
      )}
      {total > contacts.length ? <p className="mt-1 text-xs text-slate-600">and {total - contacts.length} more</p> : null}
      {total ? <DownloadCsvLink href={`/accounts/export/${account.id}/contacts`} className="mt-2 inline-block" label="Download contacts (CSV)" /> : null}
      {edit ? (
        <>
          <AddContactForm accountId={account.id} />
          <LinkContactForm accountId={account.id} />
        </>
      ) : null}
    </WidgetCard>
  );
}
