import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { ADMIN_SECTIONS } from "./sections";

export const metadata: Metadata = { title: "Overview" };

/** The admin index: one card per admin page, with what it is for. */
export default async function AdminIndexPage() {
  const { viewer } = await requireContext();
  if (!may(viewer, "admin.open")) notFound();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Admin</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">Set up the data model, who sees what, and how data comes in.</p>
      </div>
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {ADMIN_SECTIONS.filter((s) => may(viewer, s.capability)).map((s) => (
          <li key={s.href}>
            <Link href={s.href} className="block h-full rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-500 hover:shadow-sm">
              <h2 className="font-semibold text-brand-700">{s.label}</h2>
              <p className="mt-1 text-sm text-slate-700">{s.summary}</p>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
