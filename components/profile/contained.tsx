import { unstable_rethrow } from "next/navigation";
import type { ReactNode } from "react";

/**
 * Renders one part of a profile (a header view, a tab) by awaiting it here, inside a try/catch, so a
 * part whose data fails shows its own notice and the rest of the page still renders.
 *
 * Why a server-side try/catch and not a React error boundary: an async server component that throws
 * is rendered on the server, where React's renderer ignores class error boundaries; the error goes
 * to the nearest Suspense boundary (or fails the whole page shell, which Next answers with the
 * segment's error.tsx). Awaiting the part here catches it before React sees it, and the notice is in
 * the HTML itself. It catches what the part awaits (every header view and tab loads its data at its
 * top and renders only synchronous or client children). notFound() and redirect() pass through.
 */
export async function Contained<P extends object>({ part, render, props, accountId, framed = false }: {
  /** The part's name in the notice and the server log, e.g. "Recent changes" or "the Usage tab". */
  part: string;
  render: (props: P) => ReactNode | Promise<ReactNode>;
  props: P;
  accountId: string;
  /** Put the notice in a card of its own (a tab has no frame around it; a header view has). */
  framed?: boolean;
}) {
  try {
    return await render(props);
  } catch (error) {
    unstable_rethrow(error);
    console.error(`[profile ${part}] account ${accountId}:`, error);
    const notice = (
      <p role="alert" className="text-sm text-red-700" data-testid="part-failed">
        {part} could not be loaded. Reload the page to try again.
      </p>
    );
    return framed ? <div className="rounded-lg border border-slate-200 bg-white p-6">{notice}</div> : notice;
  }
}
