import { describe, expect, it } from "vitest";
import { markup } from "@/components/charts/markup";

// The health drawings are markup strings (components/charts/markup.ts): text from the data (labels,
// "scored with", amounts) must never become markup.
describe("chart markup", () => {
  it("escapes every interpolated value, joins arrays and keeps nested markup as it is", () => {
    const label = `Acme "R&D" <script>alert(1)</script> O'Neil`;
    const rows = [1, 2].map((n) => markup`<li data-n="${n}">${label}</li>`);
    const html = markup`<ul title="${label}">${rows}${null}${false}${undefined}</ul>`.__html;
    expect(html).toBe(
      `<ul title="Acme &quot;R&amp;D&quot; &lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil">` +
        `<li data-n="1">Acme &quot;R&amp;D&quot; &lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil</li>` +
        `<li data-n="2">Acme &quot;R&amp;D&quot; &lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil</li></ul>`,
    );
    expect(html).not.toContain("<script>");
  });
});
