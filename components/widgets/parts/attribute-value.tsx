import Link from "next/link";
import { formatAttribute } from "@/lib/format";
import { httpUrl } from "@/lib/urls";

/** An attribute value formatted by its data type; URLs become links that open in a new tab. */
export function AttributeValue({ dataType, value }: { dataType: string; value: unknown }) {
  if (dataType === "url") {
    const href = httpUrl(value);
    if (href) {
      return (
        <a href={href} target="_blank" rel="noopener noreferrer" className="break-all text-brand-700 underline">
          {String(value)}
        </a>
      );
    }
  }
  const text = Array.isArray(value) ? value.map(String).join(", ") : formatAttribute(dataType, value);
  return <>{text}</>;
}

/** Marks a rolled-up attribute; links to "explain this number" for it when the account is given. */
export function RolledUpMark({ accountId, attributeKey }: { accountId?: string; attributeKey?: string } = {}) {
  const className = "ml-1 rounded bg-brand-50 px-1.5 py-0.5 text-[11px] font-medium text-brand-700";
  if (accountId && attributeKey) {
    return (
      <Link prefetch={false}
        href={`/accounts/${accountId}/explain?metric=${encodeURIComponent(`attribute:${attributeKey}`)}`}
        className={`${className} underline decoration-dotted underline-offset-2 hover:decoration-solid`}
        title="Rolled up from the accounts below: explain this number"
      >
        rolled up
      </Link>
    );
  }
  return (
    <span className={className} title="Rolled up from the accounts below">
      rolled up
    </span>
  );
}

export function PrivilegedMark() {
  return (
    <span className="ml-1 rounded bg-amber-50 px-1.5 py-0.5 text-[11px] font-medium text-amber-900" title="Visible to admins and to users assigned to this account">
      privileged
    </span>
  );
}
