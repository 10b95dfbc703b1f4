import type { NextConfig } from "next";
import { staticSecurityHeaders } from "./lib/security-headers";


const nextConfig: NextConfig = {
  // PGlite loads its wasm and data files by URL; bundling it breaks that (STACK-NOTES).
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // `npm run dev` opened at http://127.0.0.1:3000 (not only localhost) still gets its scripts and HMR.
  allowedDevOrigins: ["127.0.0.1"],
  typedRoutes: false,
  // Tests are type-checked by `npm run typecheck`, not by the production build.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Every response, static files and the upload route included (fixed at build time); the CSP and
  // HSTS come from proxy.ts at run time.
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders(false) }];
  },
};

export default nextConfig;
