import { mentionParts } from "@/lib/mentions/tokens";

/** A stored text with its `<@id>` tokens shown as highlighted names. */
export function MentionText({ text, names }: { text: string; names: ReadonlyMap<string, string> }) {
  return (
    <>
      {mentionParts(text, names).map((part, i) =>
        "userId" in part ? (
          <span key={i} className="rounded bg-brand-50 px-0.5 font-medium text-brand-800" data-testid="mention">
            @{part.name}
          </span>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
