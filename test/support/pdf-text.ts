/**
 * Just enough PDF reading to check what Chromium's `page.pdf()` printed: the page count and the text
 * (through each font's ToUnicode map). Not a general PDF parser: Skia's output only (Flate streams,
 * hex glyph strings in Tj/TJ); no PDF library is installed here and none is needed for this.
 */
import { inflateSync } from "node:zlib";

type PdfObject = { dict: string; stream?: string };

function objects(pdf: Buffer): Map<number, PdfObject> {
  const src = pdf.toString("latin1");
  const out = new Map<number, PdfObject>();
  const re = /(\d+)\s+0\s+obj\b([\s\S]*?)\bendobj/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const body = m[2];
    const at = body.search(/\bstream\r?\n/);
    if (at < 0) {
      out.set(Number(m[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, at);
    const start = body.indexOf("\n", at) + 1;
    const raw = Buffer.from(body.slice(start, body.lastIndexOf("endstream")).replace(/\r?\n$/, ""), "latin1");
    let stream: string;
    try {
      stream = (/\/FlateDecode/.test(dict) ? inflateSync(raw) : raw).toString("latin1");
    } catch {
      stream = "";
    }
    out.set(Number(m[1]), { dict, stream });
  }
  return out;
}

/** Glyph code (hex, upper case) → text, from a ToUnicode CMap. */
function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => Buffer.from(hex, "hex").swap16().toString("utf16le");
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, text] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(code.toUpperCase(), utf16(text));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, first] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const base = Number.parseInt(first, 16);
      for (let c = Number.parseInt(lo, 16), i = 0; c <= Number.parseInt(hi, 16); c++, i++) {
        map.set(c.toString(16).toUpperCase().padStart(lo.length, "0"), String.fromCodePoint(base + i));
      }
    }
  }
  return map;
}

export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** The printed text, one line per text object. */
export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  const fontByName = new Map<string, Map<string, string>>();
  for (const { dict } of objs.values()) {
    for (const [, fonts] of dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const [, name, ref] of fonts.matchAll(/\/([^\s/]+)\s+(\d+)\s+0\s+R/g)) {
        const cmapRef = objs.get(Number(ref))?.dict.match(/\/ToUnicode\s+(\d+)\s+0\s+R/)?.[1];
        const cmap = cmapRef ? objs.get(Number(cmapRef))?.stream : undefined;
        if (cmap) fontByName.set(name, toUnicode(cmap));
      }
    }
  }
  const lines: string[] = [];
  for (const { stream } of objs.values()) {
    if (!stream || !/\bT[Jj]\b/.test(stream)) continue;
    let font = new Map<string, string>();
    let line = "";
    const decode = (hex: string) => {
      const width = [...font.keys()][0]?.length ?? 4;
      for (let i = 0; i + width <= hex.length; i += width) line += font.get(hex.slice(i, i + width).toUpperCase()) ?? "";
    };
    const ops = /\/([^\s/]+)\s+[-\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|\bET\b/g;
    for (const m of stream.matchAll(ops)) {
      if (m[1] !== undefined) font = fontByName.get(m[1]) ?? new Map();
      else if (m[2] !== undefined) for (const [, hex] of m[2].matchAll(/<([0-9A-Fa-f]*)>/g)) decode(hex);
      else if (m[3] !== undefined) decode(m[3]);
      else {
        if (line.trim()) lines.push(line);
        line = "";
      }
    }
  }
  return lines.join("\n");
}
