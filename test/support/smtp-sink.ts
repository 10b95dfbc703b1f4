/**
 * A real SMTP server on loopback (the `smtp-server` package) that writes every mail it accepts to a
 * folder as an .eml file, so tests in other processes than the one that started it (the e2e global
 * set-up) can read and parse them with `mailparser`.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SmtpSink = { url: string; port: number; dir: string; stop(): Promise<void> };

export async function startSmtpSink(dir = mkdtempSync("/tmp/c360-mail-")): Promise<SmtpSink> {
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const name = `${Date.now()}-${String(++seq).padStart(5, "0")}.eml`;
        writeFile(path.join(dir, name), Buffer.concat(chunks)).then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, port, dir, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Every mail the sink received so far, parsed, oldest first. */
export async function receivedMail(dir: string): Promise<ParsedMail[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith(".eml")).sort();
  return Promise.all(files.map((f) => simpleParser(readFileSync(path.join(dir, f)))));
}
