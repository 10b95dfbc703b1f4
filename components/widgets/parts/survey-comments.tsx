import type { SurveyComment } from "@/lib/dal/support";
import { EmptyState } from "../widget-card";
import { relativeTime } from "@/lib/format";

/** The latest survey comments under an NPS or CSAT figure. */
export function Comments({ comments, scale, onThisAccount }: { comments: SurveyComment[]; scale: string; onThisAccount: boolean }) {
  return (
    <div>
      <h3 className="text-xs font-medium text-slate-600">Latest comments{onThisAccount ? " on this account" : ""}</h3>
      {comments.length === 0 ? (
        <EmptyState>{onThisAccount ? "No comments on this account itself." : "No comments yet."}</EmptyState>
      ) : (
        <ul className="mt-1 space-y-2">
          {comments.map((c) => (
            <li key={c.id} className="text-sm">
              <blockquote className="text-slate-800">“{c.comment}”</blockquote>
              <p className="text-xs text-slate-600">
                {c.score}/{scale}
                {c.contactName ? ` · ${c.contactName}` : ""} · {relativeTime(c.respondedAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
