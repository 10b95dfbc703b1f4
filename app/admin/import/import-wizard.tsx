"use client";

import { useState } from "react";
import { autoMap, IMPORT_KINDS, missingColumns, parseCsv, type ColumnMapping, type CsvRow, type ImportKind } from "@/lib/import/csv";
import type { RowError } from "@/lib/import/run";
import { importRowsAction } from "./actions";

const MAX_FILE_BYTES = 50 * 1024 * 1024;
const SHOWN_ERRORS = 200;

type Loaded = { fileName: string; headers: string[]; rows: CsvRow[] };
type Progress = { done: number; total: number; imported: number; errors: RowError[]; finished: boolean; failure?: string };

const selectClass = "block w-full rounded-md border border-slate-400 px-2 py-1 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none";

/**
 * Pick what the file holds and the file; the columns are matched to fields by header name and can
 * be changed; then the rows go to the server in parts, with a progress bar, and every refused row
 * is listed with its line and the reason.
 */
export function ImportWizard() {
  const [kind, setKind] = useState<ImportKind>("accounts");
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const importing = progress !== null && !progress.finished;

  const chooseKind = (next: ImportKind) => {
    setKind(next);
    setProgress(null);
    if (loaded) setMapping(autoMap(next, loaded.headers));
  };

  const chooseFile = async (file: File | undefined) => {
    setProgress(null);
    setLoaded(null);
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setFileError(`This file is over ${MAX_FILE_BYTES / 1024 / 1024} MB: split it, or send the rows through the API.`);
    const parsed = parseCsv(await file.text());
    if (!parsed.ok) return setFileError(parsed.error);
    setLoaded({ fileName: file.name, headers: parsed.headers, rows: parsed.rows });
    setMapping(autoMap(kind, parsed.headers));
  };

  const missing = loaded ? missingColumns(kind, mapping) : [];
  const fields = IMPORT_KINDS[kind].fields;

  const runImport = async () => {
    if (!loaded || missing.length) return;
    const chunk = IMPORT_KINDS[kind].chunk;
    const total = loaded.rows.length;
    let state: Progress = { done: 0, total, imported: 0, errors: [], finished: false };
    setProgress(state);
    for (let start = 0; start < total; start += chunk) {
      const part = loaded.rows.slice(start, start + chunk).map((row) => ({
        line: row.line,
        values: Object.fromEntries(fields.filter((f) => mapping[f.key] >= 0).map((f) => [f.key, row.values[mapping[f.key]] ?? ""])),
      }));
      const form = new FormData();
      form.set("kind", kind);
      form.set("rows", JSON.stringify(part));
      let failure: string | undefined;
      try {
        const result = await importRowsAction(null, form);
        if (result.ok) state = { ...state, imported: state.imported + result.data.imported, errors: [...state.errors, ...result.data.errors] };
        else failure = result.error;
      } catch {
        failure = "The server could not be reached; rows up to this point were imported.";
      }
      state = { ...state, done: Math.min(total, start + chunk) };
      if (failure) {
        state = { ...state, finished: true, failure };
        setProgress(state);
        return;
      }
      setProgress(state);
    }
    setProgress({ ...state, finished: true });
  };

  return (
    <div className="space-y-6">
      <section aria-labelledby="import-file-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="import-file-heading" className="mb-3 text-base font-semibold text-slate-900">
          1. The file
        </h2>
        <fieldset className="mb-4">
          <legend className="mb-1.5 text-sm font-medium text-slate-700">The file holds</legend>
          <div className="flex flex-wrap gap-5">
            {(Object.keys(IMPORT_KINDS) as ImportKind[]).map((k) => (
              <label key={k} className="flex items-center gap-1.5 text-sm text-slate-800">
                <input type="radio" name="kind" value={k} checked={kind === k} disabled={importing} onChange={() => chooseKind(k)} />
                {IMPORT_KINDS[k].label}
              </label>
            ))}
          </div>
        </fieldset>
        <label htmlFor="import-file" className="block text-sm font-medium text-slate-700">
          CSV file
        </label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv,text/plain"
          disabled={importing}
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? "import-file-error" : "import-file-hint"}
          onChange={(e) => void chooseFile(e.currentTarget.files?.[0])}
          className="mt-1 block text-sm text-slate-800 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium"
        />
        <p id="import-file-hint" className="mt-1 text-xs text-slate-600">
          Comma, semicolon or tab separated, with a header line naming the columns. Fields: {fields.map((f) => `${f.label}${f.required ? " (required)" : ""}`).join(", ")}.
        </p>
        {fileError ? (
          <p id="import-file-error" role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {fileError}
          </p>
        ) : null}
      </section>

      {loaded ? (
        <section aria-labelledby="import-mapping-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="import-mapping-heading" className="mb-1 text-base font-semibold text-slate-900">
            2. Columns
          </h2>
          <p className="mb-3 text-sm text-slate-700">
            {loaded.fileName}: {loaded.rows.length.toLocaleString("en-US")} row{loaded.rows.length === 1 ? "" : "s"}. Columns were matched by their names;
            change any that are wrong.
          </p>
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Field</th>
                <th scope="col" className="px-3 py-2 font-medium">Column in the file</th>
                <th scope="col" className="px-3 py-2 font-medium">First values</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field) => {
                const column = mapping[field.key] ?? -1;
                const samples = column >= 0 ? loaded.rows.slice(0, 3).map((r) => r.values[column] ?? "") : [];
                return (
                  <tr key={field.key} className="border-t border-slate-100">
                    <td className="px-3 py-2">
                      <label htmlFor={`map-${field.key}`} className="font-medium text-slate-800">
                        {field.label}
                      </label>
                      {field.required ? <span className="ml-1 text-xs text-slate-600">required</span> : null}
                    </td>
                    <td className="px-3 py-2">
                      <select
                        id={`map-${field.key}`}
                        value={column}
                        disabled={importing}
                        aria-invalid={field.required && column < 0 ? true : undefined}
                        onChange={(e) => {
                          setProgress(null);
                          setMapping({ ...mapping, [field.key]: Number(e.currentTarget.value) });
                        }}
                        className={selectClass}
                      >
                        <option value={-1}>— not imported —</option>
                        {loaded.headers.map((header, i) => (
                          <option key={i} value={i}>
                            {header || `Column ${i + 1}`}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="max-w-xs truncate px-3 py-2 text-xs text-slate-700">{samples.filter(Boolean).join(" · ") || "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {missing.length ? (
            <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              Missing required column{missing.length === 1 ? "" : "s"}: {missing.join(", ")}. Pick the column that holds {missing.length === 1 ? "it" : "them"}.
            </p>
          ) : null}
          <div className="mt-4 flex items-center gap-3">
            <button
              type="button"
              onClick={() => void runImport()}
              disabled={importing || missing.length > 0 || progress?.finished}
              className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            >
              {importing ? "Importing…" : `Import ${loaded.rows.length.toLocaleString("en-US")} row${loaded.rows.length === 1 ? "" : "s"}`}
            </button>
          </div>
        </section>
      ) : null}

      {progress ? (
        <section aria-labelledby="import-result-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="import-result-heading" className="mb-2 text-base font-semibold text-slate-900">
            3. Import
          </h2>
          <div
            role="progressbar"
            aria-label="Import progress"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.done}
            className="h-3 w-full overflow-hidden rounded-full bg-slate-100"
          >
            <div className="h-full bg-brand-600 transition-all" style={{ width: `${progress.total ? (100 * progress.done) / progress.total : 0}%` }} />
          </div>
          <p role="status" className="mt-2 text-sm text-slate-800">
            {progress.finished
              ? `Imported ${progress.imported.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")} rows${progress.errors.length ? `; ${progress.errors.length.toLocaleString("en-US")} row${progress.errors.length === 1 ? "" : "s"} not imported` : ""}.`
              : `Checked ${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")} rows…`}
          </p>
          {progress.failure ? (
            <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {progress.failure}
            </p>
          ) : null}
          {progress.errors.length ? (
            <table className="mt-3 w-full text-sm" aria-label="Rows not imported">
              <thead className="bg-slate-50 text-left text-xs text-slate-700">
                <tr>
                  <th scope="col" className="w-20 px-3 py-2 font-medium">Line</th>
                  <th scope="col" className="px-3 py-2 font-medium">Why it was not imported</th>
                </tr>
              </thead>
              <tbody>
                {progress.errors.slice(0, SHOWN_ERRORS).map((e, i) => (
                  <tr key={`${e.line}-${i}`} className="border-t border-slate-100">
                    <td className="px-3 py-1.5 tabular-nums">{e.line}</td>
                    <td className="px-3 py-1.5 text-red-800">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {progress.errors.length > SHOWN_ERRORS ? <p className="mt-2 text-xs text-slate-600">The first {SHOWN_ERRORS} of {progress.errors.length} are shown.</p> : null}
        </section>
      ) : null}
    </div>
  );
}
