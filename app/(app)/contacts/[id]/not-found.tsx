import Link from "next/link";

export default function ContactNotFound() {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center">
      <h1 className="text-xl font-semibold">Contact not found</h1>
      <p className="mt-2 text-sm text-slate-600">This contact does not exist, or you do not have access to any of their accounts.</p>
      <Link href="/accounts" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
        Search accounts
      </Link>
    </div>
  );
}
