import Link from "next/link";
import { contactsOfAccount } from "@/lib/dal/contacts";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

/** Contacts linked to the account with their role here; key contacts starred and listed first. */
export async function ContactsWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const { contacts, total } = await contactsOfAccount(ctx, account, 12);
  return (
    <WidgetCard title={settings.title ?? "Contacts"} id="contacts" action={total ? <span className="text-xs text-slate-600">{total}</span> : undefined}>
      {contacts.length === 0 ? (
        <EmptyState>No contacts are linked to this account.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {contacts.map((c) => (
            <li key={c.id} className="py-1.5 text-sm" data-testid="account-contact">
              <div className="flex items-center gap-1">
                {c.isKey ? (
                  <span className="text-amber-700" title="Key contact">
                    <span aria-hidden="true">★</span>
                    <span className="sr-only">Key contact:</span>
                  </span>
                ) : null}
                <Link href={`/contacts/${c.id}`} className="font-medium text-brand-700 underline">
                  {c.name}
                </Link>
              </div>
              <p className="text-xs text-slate-600">
                {c.role}
                {c.title ? ` · ${c.title}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      {total > contacts.length ? <p className="mt-1 text-xs text-slate-600">and {total - contacts.length} more</p> : null}
    </WidgetCard>
  );
}
