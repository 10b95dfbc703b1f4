import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SectionCard } from "@/components/section-card";
import { contactSurveys, contactTouchpoints, contactUsage, findContact } from "@/lib/dal/contacts";
import { getContext, requireContext } from "@/lib/dal/session";
import { formatDate, formatNumber } from "@/lib/format";
import { ScrollRegion } from "@/components/scroll-region";
import { may } from "@/lib/auth/permissions";
import { EditContactForm, MergeContactForm } from "./contact-forms";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const ctx = await getContext();
  const contact = ctx ? await findContact(ctx, (await params).id) : null;
  return { title: contact?.name ?? "Contact not found" };
}

function Card({ id, title, action, children }: { id: string; title: string; action?: React.ReactNode; children: React.ReactNode }) {
  return (
    <SectionCard id={id} title={title} action={action} size="regular" flush>
      {children}
    </SectionCard>
  );
}

function attributeText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  return typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value);
}

const th = "px-4 py-2 font-medium";
const td = "px-4 py-2";

/**
 * One person, one profile: contact details, every account they are linked to (that the viewer may
 * see) with their role at each, their usage, survey answers and the touchpoints they took part in.
 */
export default async function ContactProfilePage({ params }: Props) {
  const ctx = await requireContext();
  const { id } = await params;
  const contact = await findContact(ctx, id);
  if (!contact) notFound();
  const [usage, surveys, { touchpoints, total: touchpointTotal }] = await Promise.all([contactUsage(ctx, contact), contactSurveys(ctx, contact), contactTouchpoints(ctx, contact)]);
  const busiest = usage.byModule[0]?.events ?? 0;
  const details = { id: contact.id, name: contact.name, email: contact.email, title: contact.title, phone: contact.phone };
  const extra = Object.entries(contact.attributes).filter(([, v]) => v !== null && v !== undefined && v !== "");

  return (
    <div className="space-y-4">
      <div className="rounded-lg border border-slate-200 bg-white px-5 py-4">
        <p className="text-xs font-medium tracking-wide text-slate-600 uppercase">Contact</p>
        <h1 className="text-2xl font-semibold">{contact.name}</h1>
        {contact.title ? <p className="text-sm text-slate-700">{contact.title}</p> : null}
        <dl className="mt-3 grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-xs text-slate-600">Email</dt>
            <dd>
              {contact.email ? (
                <a href={`mailto:${contact.email}`} className="text-brand-700 underline">
                  {contact.email}
                </a>
              ) : (
                "—"
              )}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600">Phone</dt>
            <dd>
              {contact.phone ? (
                <a href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`} className="text-brand-700 underline">
                  {contact.phone}
                </a>
              ) : (
                "—"
              )}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600">Last active</dt>
            <dd data-testid="contact-last-active">{usage.lastActive ? formatDate(usage.lastActive) : "Never"}</dd>
          </div>
          {extra.map(([key, value]) => (
            <div key={key}>
              <dt className="text-xs text-slate-600 capitalize">{key.replace(/_/g, " ")}</dt>
              <dd>{attributeText(value)}</dd>
            </div>
          ))}
        </dl>
      </div>

      {may(ctx.viewer, "contacts.edit") ? (
        <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-2">
          {/* Keyed by the details: after a merge fills a blank, the form shows the new values, not the old. */}
          <EditContactForm key={JSON.stringify(details)} contact={details} />
          <MergeContactForm contact={details} />
        </div>
      ) : null}

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Card id="contact-accounts" title="Accounts" action={<span className="text-sm text-slate-600">{contact.accounts.length}</span>}>
            <ScrollRegion label="Accounts of this contact">
              <table className="w-full text-sm">
                <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
                  <tr>
                    <th scope="col" className={th}>Account</th>
                    <th scope="col" className={th}>Type</th>
                    <th scope="col" className={th}>Role here</th>
                    <th scope="col" className={th}>Key contact</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {contact.accounts.map((a) => (
                    <tr key={a.accountId} data-testid="contact-account">
                      <td className={td}>
                        <Link href={`/accounts/${a.accountId}`} className="font-medium text-brand-700 underline">
                          {a.accountName}
                        </Link>
                      </td>
                      <td className={`${td} text-slate-700`}>
                        {a.typeName} <span className="text-xs text-slate-600">· level {a.level}</span>
                      </td>
                      <td className={td} data-testid="contact-role">
                        {a.role}
                      </td>
                      <td className={td}>
                        {a.isKey ? (
                          <span className="text-amber-800">
                            <span aria-hidden="true">★ </span>Key contact
                          </span>
                        ) : (
                          <span className="text-slate-600">No</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </Card>

          <Card id="contact-touchpoints" title="Touchpoints" action={<span className="text-sm text-slate-600">{touchpointTotal}</span>}>
            {touchpoints.length === 0 ? (
              <p className="px-4 py-4 text-sm text-slate-600">No touchpoints with this contact.</p>
            ) : (
              <ScrollRegion label="Touchpoints with this contact">
                <table className="w-full text-sm">
                  <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
                    <tr>
                      <th scope="col" className={th}>When</th>
                      <th scope="col" className={th}>Type</th>
                      <th scope="col" className={th}>Subject</th>
                      <th scope="col" className={th}>Account</th>
                      <th scope="col" className={th}>Logged by</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {touchpoints.map((t) => (
                      <tr key={t.id} data-testid="contact-touchpoint">
                        <td className={`${td} whitespace-nowrap`}>{formatDate(t.occurredAt)}</td>
                        <td className={`${td} capitalize`}>{t.type === "qbr" ? "QBR" : t.type}</td>
                        <td className={td}>{t.subject}</td>
                        <td className={td}>
                          <Link href={`/accounts/${t.accountId}`} className="text-brand-700 underline">
                            {t.accountName}
                          </Link>
                        </td>
                        <td className={`${td} text-slate-700`}>{t.authorName ?? "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
            {touchpointTotal > touchpoints.length ? (
              <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-600">
                Showing the latest {touchpoints.length} of {touchpointTotal} touchpoints.
              </p>
            ) : null}
          </Card>
        </div>

        <div className="space-y-4">
          <Card id="contact-usage" title={`Usage, last ${usage.days} days`} action={<span className="text-sm text-slate-600">{formatNumber(usage.total)} events</span>}>
            {usage.byModule.length === 0 ? (
              <p className="px-4 py-4 text-sm text-slate-600">No usage in the last {usage.days} days.</p>
            ) : (
              <ScrollRegion label="Usage by module">
                <table className="w-full text-sm">
                  <thead className="text-left text-xs text-slate-600">
                    <tr>
                      <th scope="col" className={th}>Module</th>
                      <th scope="col" className={`${th} text-right`}>Events</th>
                    </tr>
                  </thead>
                  <tbody>
                    {usage.byModule.map((m) => (
                      <tr key={m.moduleKey} data-testid="contact-usage-module">
                        <td className="px-4 py-1.5">
                          {m.moduleName}
                          <div className="mt-1 h-1.5 rounded bg-slate-100" aria-hidden="true">
                            <div className="h-1.5 rounded bg-brand-500" style={{ width: `${busiest ? Math.max(2, (m.events / busiest) * 100) : 0}%` }} />
                          </div>
                        </td>
                        <td className="px-4 py-1.5 text-right align-top tabular-nums">{formatNumber(m.events)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
          </Card>

          <Card id="contact-surveys" title="NPS and CSAT answers">
            {surveys.length === 0 ? (
              <p className="px-4 py-4 text-sm text-slate-600">No survey answers.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {surveys.map((s) => (
                  <li key={s.id} className="px-4 py-2 text-sm" data-testid="contact-survey">
                    <p>
                      <span className="font-medium uppercase">{s.kind}</span>{" "}
                      <span className="tabular-nums">
                        {s.score}/{s.kind === "nps" ? 10 : 5}
                      </span>{" "}
                      <span className="text-xs text-slate-600">
                        · {s.accountName} · {formatDate(s.respondedAt)}
                      </span>
                    </p>
                    {s.comment ? <p className="text-slate-800">“{s.comment}”</p> : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}
