import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { auth } from "@/lib/auth";
import { cardDescription } from "@/lib/unfurl/card-text";
import { publicOrigin } from "@/lib/unfurl/origin";
import { shareSecret } from "@/lib/unfurl/secret";
import { sharedCard } from "@/lib/unfurl/share-card";
import { APP_NAME } from "@/lib/unfurl/slack-blocks";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

const load = cache(async (token: string) => sharedCard(await getDb(), token, shareSecret()));

/**
 * Open Graph metadata for link previews (Slack without the app, Teams, LinkedIn…): the account's card
 * and its image only for a valid, unexpired share token; otherwise the app's generic card.
 */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const shared = await load(token);
  const robots = { index: false, follow: false };
  if (shared.status !== "ok") {
    const description = "Account profiles for customer-success teams. Sign in to open this link.";
    return { title: { absolute: APP_NAME }, description, openGraph: { type: "website", siteName: APP_NAME, title: APP_NAME, description }, robots };
  }
  const { card } = shared;
  const origin = await publicOrigin();
  const description = cardDescription(card);
  const image = { url: `${origin}/api/og/${token}`, width: 1200, height: 630, alt: `${card.name}: health, ARR, stage and CSM` };
  return {
    title: card.name,
    description,
    openGraph: { type: "website", siteName: APP_NAME, title: card.name, description, url: `${origin}/share/${token}`, images: [image] },
    twitter: { card: "summary_large_image", title: card.name, description, images: [image.url] },
    robots,
  };
}

/**
 * Where a share link lands. Signed in: straight to the profile, where the reader's own scope applies.
 * Signed out (a person, or a crawler building a preview): a page that names no account and offers
 * sign-in; the preview data lives only in the metadata above.
 */
export default async function SharePage({ params }: Props) {
  const { token } = await params;
  const [shared, session] = await Promise.all([load(token), auth()]);
  const profile = shared.status === "invalid" ? null : `/accounts/${shared.accountId}`;
  if (session?.user && profile) redirect(profile);
  const login = profile ? `/login?next=${encodeURIComponent(profile)}` : "/login";
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold tracking-wide text-brand-600 uppercase">{APP_NAME}</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">{profile ? "An account was shared with you" : "This link is not valid"}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {profile
            ? "Sign in to open the account's profile. You will see what your own access allows."
            : "It may have been mistyped or cut short. Ask for a new link, or sign in to search for the account."}
        </p>
        <Link href={login} className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Sign in
        </Link>
      </div>
    </main>
  );
}
