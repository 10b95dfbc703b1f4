/**
 * @mentions inside a text are stored as `<@user-id>` tokens (the user's id, so a rename shows the
 * new name) and rendered as "@Name". Plain functions: the editor (a client component) uses them too.
 */
export const MENTION_TOKEN = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;

/** The ids mentioned in `text`, each once, in order of first mention. */
export function mentionedUserIds(text: string | null | undefined): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(MENTION_TOKEN)].map((m) => m[1].toLowerCase()))];
}

/** The text with each token as "@Name" (an unknown id as "@someone"). */
export function renderMentions(text: string, names: ReadonlyMap<string, string>): string {
  return text.replace(MENTION_TOKEN, (_, id: string) => `@${names.get(id.toLowerCase()) ?? "someone"}`);
}

/** Pieces of the text for rendering: plain runs and mentions, so a component can style names. */
export function mentionParts(text: string, names: ReadonlyMap<string, string>): ({ text: string } | { userId: string; name: string })[] {
  const parts: ({ text: string } | { userId: string; name: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(MENTION_TOKEN)) {
    if (m.index! > last) parts.push({ text: text.slice(last, m.index) });
    const id = m[1].toLowerCase();
    parts.push({ userId: id, name: names.get(id) ?? "someone" });
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
