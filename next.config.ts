import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its wasm and data files by URL; bundling it breaks that (STACK-NOTES).
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  typedRoutes: false,
  // Tests are type-checked by `npm run typecheck`, not by the production build.
  typescript: { tsconfigPath: "tsconfig.build.json" },
};

export default nextConfig;
