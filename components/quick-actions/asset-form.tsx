"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { formatMegabytes } from "@/lib/format";
import { hintClass, inputClass, labelClass } from "@/components/forms";

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; loaded: number; total: number }
  | { kind: "checking" }
  | { kind: "done"; name: string }
  | { kind: "failed"; message: string };

const BLOCKED = /\.(exe|dll|com|scr|msi|pif|cpl|bat|cmd|js|mjs|cjs|jse|vbs|vbe|wsf|wsh|ps1)[\s.]*$/i;

/** The message of a JSON error answer, or a sentence for the status when there is none. */
function messageOf(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === "string" && parsed.error) return capitalize(parsed.error);
  } catch {
    // not JSON: a proxy or the server itself answered
  }
  if (status === 413) return "The file is larger than the upload limit.";
  if (status === 401) return "Your session has ended. Sign in again.";
  if (status === 503) return "File storage is unavailable: nothing was saved, try again later.";
  return `The upload failed (${status || "no answer"}); nothing was saved.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Upload one file to the account: the bytes go straight to the upload route with XMLHttpRequest
 * (whose upload events give a real progress bar), the server's JSON errors are shown as they come,
 * and on success the profile refreshes so the Assets widget, tab and Timeline show the file.
 */
export function AssetForm({ accountId, maxMb }: { accountId: string; maxMb: number }) {
  const router = useRouter();
  const uid = useId();
  const id = (part: string) => `asset-${part}-${uid.replace(/:/g, "")}`;
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [fileError, setFileError] = useState<string | null>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const alertRef = useRef<HTMLParagraphElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const busy = phase.kind === "uploading" || phase.kind === "checking";

  useEffect(() => () => xhrRef.current?.abort(), []);
  useEffect(() => {
    if (phase.kind === "failed") alertRef.current?.focus();
  }, [phase]);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const input = form.elements.namedItem("file") as HTMLInputElement;
    const file = input.files?.[0];
    setFileError(null);
    if (!file) {
      setFileError("Choose a file to upload.");
      input.focus();
      return;
    }
    // Quick answers for what the server would refuse anyway (it checks the bytes too).
    if (BLOCKED.test(file.name)) {
      setFileError(`“${file.name}” was refused: executable files and scripts (.exe, .bat, .js and the like) cannot be uploaded.`);
      input.focus();
      return;
    }
    if (file.size > maxMb * 1024 * 1024) {
      setFileError(`“${file.name}” is ${formatMegabytes(file.size)}: the limit for this account is ${maxMb} MB.`);
      input.focus();
      return;
    }
    const data = new FormData();
    const name = (form.elements.namedItem("name") as HTMLInputElement).value.trim();
    if (name) data.append("name", name); // before the file: the server reads the stream in order
    data.append("file", file, file.name);

    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", `/api/accounts/${encodeURIComponent(accountId)}/assets`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setPhase(e.loaded >= e.total ? { kind: "checking" } : { kind: "uploading", loaded: e.loaded, total: e.total });
    };
    xhr.upload.onload = () => setPhase({ kind: "checking" });
    xhr.onload = () => {
      xhrRef.current = null;
      if (xhr.status === 201) {
        let stored = file.name;
        try {
          stored = (JSON.parse(xhr.responseText) as { asset: { name: string } }).asset.name;
        } catch {
          // the name the user picked is close enough
        }
        setPhase({ kind: "done", name: stored });
        formRef.current?.reset();
        router.refresh();
      } else {
        setPhase({ kind: "failed", message: messageOf(xhr.status, xhr.responseText) });
      }
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      setPhase({ kind: "failed", message: "The upload failed: the connection was lost. Nothing was saved; try again." });
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setPhase({ kind: "failed", message: "Upload cancelled. Nothing was saved." });
    };
    setPhase({ kind: "uploading", loaded: 0, total: file.size });
    xhr.send(data);
  }

  const percent = phase.kind === "uploading" ? Math.min(99, Math.floor((phase.loaded / Math.max(phase.total, 1)) * 100)) : phase.kind === "checking" ? 100 : 0;

  return (
    <form ref={formRef} onSubmit={submit} className="space-y-3" aria-label="Upload a file" noValidate data-testid="asset-form">
      {phase.kind === "done" ? (
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900" data-testid="asset-upload-success">
          Uploaded “{phase.name}”.
        </p>
      ) : null}
      {phase.kind === "failed" ? (
        <p ref={alertRef} role="alert" tabIndex={-1} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="asset-upload-error">
          {phase.message}
        </p>
      ) : null}
      <div>
        <label htmlFor={id("file")} className={labelClass}>
          File
        </label>
        <input
          id={id("file")}
          name="file"
          type="file"
          disabled={busy}
          onChange={() => {
            setFileError(null);
            if (phase.kind !== "uploading") setPhase({ kind: "idle" });
          }}
          className={`${inputClass} file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-2 file:py-1 file:text-sm file:text-slate-800`}
          aria-invalid={fileError ? true : undefined}
          aria-describedby={[id("hint"), fileError ? id("error") : null].filter(Boolean).join(" ")}
        />
        <p id={id("hint")} className={hintClass}>
          Up to {maxMb} MB. Executables, scripts and password-protected files are refused.
        </p>
        {fileError ? (
          <p id={id("error")} className="mt-1 text-sm text-red-800" data-testid="field-error">
            {fileError}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor={id("name")} className={labelClass}>
          Name <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <input id={id("name")} name="name" maxLength={200} disabled={busy} placeholder="Defaults to the file's name" className={inputClass} />
      </div>
      {busy ? (
        <div>
          <div
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={phase.kind === "checking" ? "Checking the file" : `${percent}%`}
            className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
            data-testid="asset-upload-progress"
          >
            <div className="h-full rounded-full bg-brand-600 transition-[width] duration-150" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-xs text-slate-700" aria-live="polite">
            {phase.kind === "uploading" ? `Uploading… ${formatMegabytes(phase.loaded)} of ${formatMegabytes(phase.total)} (${percent}%)` : "Checking and saving the file…"}
          </p>
        </div>
      ) : null}
      <div className="flex items-center gap-2">
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-brand-700 px-3.5 py-1.5 text-sm font-medium text-white hover:bg-brand-600 disabled:opacity-60"
        >
          {busy ? "Uploading…" : "Upload"}
        </button>
        {phase.kind === "uploading" ? (
          <button type="button" onClick={() => xhrRef.current?.abort()} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50">
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

/**
 * A small "Delete" button for one file or link (DELETE /api/assets/<id>); for the Assets tab or
 * widget to place next to each asset the viewer may remove.
 */
export function DeleteAssetButton({ assetId, name }: { assetId: string; name: string }) {
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  async function remove() {
    if (!window.confirm(`Delete “${name}”? This cannot be undone.`)) return;
    setState({ busy: true, error: null });
    try {
      const response = await fetch(`/api/assets/${encodeURIComponent(assetId)}`, { method: "DELETE", headers: { Accept: "application/json" } });
      if (!response.ok) {
        setState({ busy: false, error: messageOf(response.status, await response.text()) });
        return;
      }
      setState({ busy: false, error: null });
      router.refresh();
    } catch {
      setState({ busy: false, error: "The connection was lost; nothing was deleted." });
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={remove} disabled={state.busy} className="text-xs text-red-800 underline disabled:opacity-60" aria-label={`Delete ${name}`}>
        {state.busy ? "Deleting…" : "Delete"}
      </button>
      {state.error ? (
        <span role="alert" className="text-xs text-red-800">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}
