/**
 * Security headers. The Content-Security-Policy carries a fresh nonce per request (set by proxy.ts
 * on the request, so Next puts it on its own scripts while rendering): no inline script runs
 * without it. Styles allow inline attributes (React and recharts set style attributes; they cannot
 * run code). Frames: the app is never framed (frame-ancestors 'none'); it frames only the https
 * links admins put in custom layout tabs. Imported by proxy.ts and next.config.ts: no server-only
 * imports here.
 */

export function contentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean; signInOrigin?: string } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self' https:",
    "object-src 'none'",
    "base-uri 'self'",
    // Single sign-on's form posts answer with a redirect to the identity provider.
    `form-action 'self'${options.signInOrigin ? ` ${options.signInOrigin}` : ""}`,
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Headers every response gets (pages, API routes, static files). */
export function staticSecurityHeaders(https: boolean): { key: string; value: string }[] {
  return [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    ...(https ? [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }] : []),
  ];
}

/** A fresh, unguessable nonce (base64 of 16 random bytes). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
