/**
 * Drawings the browser never has to reconcile, written as markup strings.
 *
 * Why: in the App Router every element a server component returns travels to the browser twice (as
 * HTML and again in the page's RSC payload) and React hydrates each one. The health widget's weekly
 * grid, trend and table were ~580 of a phone profile's ~1,460 elements, and hydrating the page was
 * the profile's largest cost above the app's own floor in Lighthouse's mobile run. Static drawings
 * with no handlers gain nothing from being React elements: as one `dangerouslySetInnerHTML` string,
 * React holds one node for them and skips their insides when it hydrates.
 *
 * `markup` is a tagged template: every interpolated value is escaped unless it is itself Markup, and
 * arrays are joined, so a drawing reads like JSX and no caller text can break out of it.
 */
export type Markup = { readonly __html: string };

type Part = string | number | null | undefined | false | Markup | Part[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeMarkup(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(part: Part): string {
  if (part == null || part === false) return "";
  if (Array.isArray(part)) return part.map(render).join("");
  if (typeof part === "object") return part.__html;
  return escapeMarkup(part);
}

export function markup(strings: TemplateStringsArray, ...parts: Part[]): Markup {
  let html = strings[0];
  parts.forEach((part, i) => {
    html += render(part) + strings[i + 1];
  });
  return { __html: html };
}
