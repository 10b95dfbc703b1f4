"use client";

/**
 * "Print / PDF": opens the browser's print dialog, where "Save as PDF" makes the PDF; the print
 * stylesheet (app/globals.css, @media print) leaves the app's chrome out. A few bytes of script.
 */
export function PrintButton({ className = "" }: { className?: string }) {
  return (
    <button type="button" onClick={() => window.print()} className={`text-sm text-brand-700 underline underline-offset-2 hover:text-brand-600 ${className}`}>
      Print / PDF
    </button>
  );
}
