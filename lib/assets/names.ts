import { extensionOf } from "./inspect";

/** A file name as shown and downloaded: no folders, no control characters, at most 200 characters. */
export function cleanFileName(raw: string | null | undefined, fallback = "file"): string {
  const base = String(raw ?? "").split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  let name = base.replace(/[\u0000-\u001f\u007f]+/g, "").replace(/\s+/g, " ").trim();
  name = name.replace(/^\.+/, "").trim();
  if (!name) return fallback;
  if (name.length > 200) {
    const ext = extensionOf(name);
    name = ext && ext.length < 12 ? `${name.slice(0, 199 - ext.length).trim()}.${ext}` : name.slice(0, 200);
  }
  return name;
}

/**
 * The asset's display name: the name the user typed (keeping the file's extension, so the download
 * still opens with the right program), else the file's own name.
 */
export function displayName(typed: string | null | undefined, fileName: string): string {
  const name = cleanFileName(typed, "");
  if (!name) return fileName;
  const ext = extensionOf(fileName);
  return ext && extensionOf(name) !== ext ? cleanFileName(`${name}.${ext}`) : name;
}

/** The last part of a storage key: ASCII only, so every backend accepts it. */
export function keySafeName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "").slice(0, 100);
  return safe || "file";
}

/** `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]+/g, "_").replace(/["\\]/g, "_") || "download";
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const TYPES_BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf",
  csv: "text/csv",
  txt: "text/plain",
  md: "text/markdown",
  json: "application/json",
  xml: "application/xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  zip: "application/zip",
  doc: "application/msword",
  xls: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

/**
 * The type stored with the file: what the bytes say when that is specific, else what the
 * extension says, else what the browser declared, else octet-stream. Downloads are always
 * attachments with nosniff, so a wrong declared type cannot make the browser run anything.
 */
export function chooseContentType(name: string, sniffed: string | null, declared: string | null | undefined): string {
  const byExtension = TYPES_BY_EXTENSION[extensionOf(name)];
  const generic = !sniffed || sniffed === "application/zip" || sniffed === "application/x-cfb";
  if (sniffed && !generic) return sniffed;
  if (byExtension) return byExtension;
  if (sniffed) return sniffed;
  const clean = (declared ?? "").split(";")[0].trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(clean) ? clean : "application/octet-stream";
}
