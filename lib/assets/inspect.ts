import { fileTypeFromBuffer } from "file-type";

/**
 * What an upload is, decided from its name and its bytes as they pass: the first bytes (the head)
 * say what kind of file it is; a scanner then looks at every chunk for what only appears later
 * (a PDF's /Encrypt in the trailer, a ZIP entry's encryption flag, an OLE "EncryptedPackage").
 */

export type RefusalCode = "too_large" | "blocked_type" | "encrypted" | "empty" | "interrupted" | "bad_request";

/** A reason to refuse an upload that the user should read. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 413 | 415 | 422,
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "UploadRefused";
  }
}

export const ENCRYPTED_MESSAGE = "password-protected files are not supported: remove the password and upload it again";

/** Executables and scripts, refused by name (and their content is sniffed too). */
const BLOCKED_EXTENSIONS = new Set([
  "exe", "dll", "com", "scr", "msi", "pif", "cpl",
  "bat", "cmd",
  "js", "mjs", "cjs", "jse", "vbs", "vbe", "wsf", "wsh", "ps1",
]);

/** Office Open XML names: a real one is a ZIP; an OLE compound file under such a name is encrypted. */
const OOXML_EXTENSIONS = new Set(["docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xltm", "xlsb", "pptx", "pptm", "potx", "potm", "ppsx", "ppsm"]);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

function blockedMessage(name: string): string {
  return `“${name}” was refused: executable files and scripts (.exe, .bat, .js and the like) cannot be uploaded`;
}

/** A refusal when the name alone says executable or script; trailing dots and spaces do not hide it. */
export function refusalForName(name: string): UploadRefused | null {
  const trimmed = name.replace(/[\s.]+$/, "");
  return BLOCKED_EXTENSIONS.has(extensionOf(trimmed)) ? new UploadRefused(415, "blocked_type", blockedMessage(name)) : null;
}

export type Container = "pdf" | "zip" | "cfb" | null;
export type HeadVerdict = { mime: string | null; ext: string | null; container: Container };

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function startsWith(head: Buffer, bytes: number[] | Buffer): boolean {
  return head.length >= bytes.length && [...bytes].every((b, i) => head[i] === b);
}

function isExecutable(head: Buffer, sniffedExt: string | undefined): boolean {
  if (sniffedExt && ["exe", "elf", "macho", "dll"].includes(sniffedExt)) return true;
  if (startsWith(head, [0x4d, 0x5a])) {
    // "MZ": a DOS/Windows executable. A text file may start with the letters MZ, so look for the
    // PE header the DOS stub points to, or binary bytes in the DOS header.
    if (head.length >= 0x40) {
      const peOffset = head.readUInt32LE(0x3c);
      if (peOffset + 4 <= head.length && head.toString("latin1", peOffset, peOffset + 4) === "PE\0\0") return true;
    }
    return head.subarray(0, 64).includes(0);
  }
  return (
    startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || // ELF
    startsWith(head, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(head, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) // Mach-O
  );
}

function looksLikeText(head: Buffer): boolean {
  if (!head.length || head.includes(0)) return false;
  let control = 0;
  for (const b of head) if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  return control / head.length < 0.01;
}

/** Leading comments and blank lines of a script, so the first statement can be seen. */
function stripLeadingComments(text: string): string {
  let rest = text.replace(/^\uFEFF/, "");
  for (;;) {
    const before = rest;
    rest = rest.replace(/^\s+/, "");
    if (rest.startsWith("//")) rest = rest.replace(/^\/\/[^\n]*/, "");
    else if (rest.startsWith("/*")) {
      const end = rest.indexOf("*/");
      rest = end < 0 ? "" : rest.slice(end + 2);
    }
    if (rest === before) return rest;
  }
}

const JS_STARTS = [
  /^["']use strict["']/,
  /^(?:var|let|const)\s+(?:[A-Za-z_$][\w$]*|\{[^}]*\}|\[[^\]]*\])\s*=/,
  /^(?:async\s+)?function\s*\*?\s*[A-Za-z_$]?[\w$]*\s*\([^)]*\)\s*\{/,
  /^import\s+(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s+as\s+[\w$]+)?\s*(?:from\s*)?["'][^"']+["']/,
  /^import\s*\(\s*["']/,
  /^export\s+(?:default\b|const\s|let\s|var\s|function\b|class\s|async\s|\{|\*)/,
  /^(?:\(\s*function\b|\(\s*\([^)]*\)\s*=>|\(\s*async\b|!\s*function\b|;\s*\(\s*function\b)/,
  /^(?:module\.exports|exports\.[\w$]+)\s*=/,
  /^(?:window|document|globalThis)\.[A-Za-z_$][\w$]*\s*(?:=|\()/,
  /^class\s+[A-Za-z_$][\w$]*\s*(?:extends\s+[\w$.]+\s*)?\{/,
  /^require\s*\(\s*["']/,
];
const JS_ANYWHERE = /\b(?:WScript\.(?:Shell|CreateObject|Run)|new\s+ActiveXObject\s*\(|require\s*\(\s*["'](?:child_process|fs|net|http)["']\s*\)|eval\s*\(\s*(?:atob|unescape|String\.fromCharCode)\s*\()/;

/** "javascript", "batch" or "script" (any #! script) when a text head reads like one; else null. */
export function scriptKind(head: Buffer): "javascript" | "batch" | "script" | null {
  if (!looksLikeText(head)) return null;
  const text = head.toString("utf8");
  if (/^\uFEFF?#!/.test(text)) return /^\uFEFF?#![^\n]*\b(?:node|deno|bun|nodejs)\b/.test(text) ? "javascript" : "script";
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 8);
  if (lines.some((l) => /^@?echo\s+(?:off|on)\b/i.test(l))) return "batch";
  if (lines.length && /^(?:rem\b|::)/i.test(lines[0]) && lines.some((l) => /^(?:@?set\s|@?goto\s|@?call\s|@?if\s|%\w+%|@?start\s)/i.test(l))) return "batch";
  const body = stripLeadingComments(text);
  if (JS_STARTS.some((re) => re.test(body)) || JS_ANYWHERE.test(text)) return "javascript";
  return null;
}

/**
 * Decides on the head of the file (its first bytes, or all of it when smaller): refuses executables
 * and scripts whatever their name, and encrypted Office documents (an OLE compound file where an
 * OOXML ZIP should be). Returns the sniffed type and which container the body scan must watch.
 */
export async function inspectHead(head: Buffer, name: string): Promise<HeadVerdict> {
  if (!head.length) throw new UploadRefused(422, "empty", `“${name}” is empty`);
  let sniffed: { ext: string; mime: string } | undefined;
  try {
    sniffed = await fileTypeFromBuffer(head);
  } catch {
    sniffed = undefined; // a truncated container the sniffer cannot finish: judged below by magic bytes
  }
  if (isExecutable(head, sniffed?.ext)) throw new UploadRefused(415, "blocked_type", `${blockedMessage(name)} (its content is an executable program)`);
  const script = sniffed ? null : scriptKind(head);
  if (script) {
    const what = script === "batch" ? "a batch script" : script === "javascript" ? "JavaScript" : "an executable script";
    throw new UploadRefused(415, "blocked_type", `${blockedMessage(name)} (its content is ${what})`);
  }
  let container: Container = null;
  if (head.subarray(0, 1024).includes("%PDF-")) container = "pdf";
  else if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x07, 0x08])) container = "zip";
  else if (startsWith(head, CFB_MAGIC)) {
    container = "cfb";
    if (OOXML_EXTENSIONS.has(extensionOf(name))) throw new UploadRefused(422, "encrypted", `“${name}”: ${ENCRYPTED_MESSAGE}`);
  }
  return { mime: sniffed?.mime ?? null, ext: sniffed?.ext ?? null, container };
}

const PDF_ENCRYPT = Buffer.from("/Encrypt", "latin1");
const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_CENTRAL = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
const ZIP_METHODS = new Set([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 14, 18, 19, 93, 94, 95, 96, 97, 98, 99]);
const OLE_ENCRYPTION_NAMES = [Buffer.from("EncryptedPackage", "utf16le"), Buffer.from("EncryptionInfo", "utf16le")];
/** Bytes kept from one chunk to the next, so a marker split across chunks is still seen. */
const CARRY = 64;

function* positions(window: Buffer, needle: Buffer): Generator<number> {
  for (let at = window.indexOf(needle); at >= 0; at = window.indexOf(needle, at + 1)) yield at;
}

/** "/Encrypt" as a dictionary key followed by a reference (`12 0 R`) or an inline dictionary. */
function pdfEncryptIn(window: Buffer): boolean {
  for (const at of positions(window, PDF_ENCRYPT)) {
    const after = window.toString("latin1", at + PDF_ENCRYPT.length, at + PDF_ENCRYPT.length + 32);
    if (/^\s*(?:\d+\s+\d+\s+R|<<)/.test(after)) return true;
  }
  return false;
}

/** Any ZIP local or central header whose general-purpose flag has bit 0 (encrypted) set. */
function zipEncryptedIn(window: Buffer): boolean {
  for (const at of positions(window, ZIP_LOCAL)) {
    if (at + 10 > window.length) continue; // completed from the carry-over in the next chunk
    const version = window.readUInt16LE(at + 4);
    const flags = window.readUInt16LE(at + 6);
    const method = window.readUInt16LE(at + 8);
    if (version <= 100 && ZIP_METHODS.has(method) && flags & 0x1) return true;
  }
  for (const at of positions(window, ZIP_CENTRAL)) {
    if (at + 12 > window.length) continue;
    const needed = window.readUInt16LE(at + 6);
    const flags = window.readUInt16LE(at + 8);
    const method = window.readUInt16LE(at + 10);
    if (needed <= 100 && ZIP_METHODS.has(method) && flags & 0x1) return true;
  }
  return false;
}

/** Watches every chunk of a container for signs of encryption; throws UploadRefused on the first. */
export class BodyScanner {
  private carry = Buffer.alloc(0);

  constructor(
    private readonly container: Container,
    private readonly name: string,
  ) {}

  push(chunk: Buffer): void {
    if (!this.container) return;
    const window = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const encrypted =
      this.container === "pdf" ? pdfEncryptIn(window) : this.container === "zip" ? zipEncryptedIn(window) : OLE_ENCRYPTION_NAMES.some((n) => window.includes(n));
    if (encrypted) throw new UploadRefused(422, "encrypted", `“${this.name}”: ${ENCRYPTED_MESSAGE}`);
    this.carry = Buffer.from(window.subarray(Math.max(0, window.length - CARRY)));
  }
}
