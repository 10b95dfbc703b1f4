#!/usr/bin/env bash
# The whole test suite: `npm test`. On a fresh Debian 12 machine after `npm install` it
#  1. makes sure the real services the tests use are installed (PostgreSQL server binaries, haproxy and
#     Chromium), installing them with apt-get when running as root, like `playwright install --with-deps`;
#  2. picks the Node for the main run: the machine's when it is Node 24 (the LTS we recommend) or newer;
#     otherwise Node 24 from the npm registry's `node-<platform>-<arch>` package, unpacked into a cache
#     folder outside the repository (never a project dependency; package-lock.json is not touched);
#  3. on that Node: builds the app for the browser tests (`next build`; SKIP_BUILD=1 reuses the last
#     build) and runs vitest once over every project (unit + e2e), JSON report in test-results/;
#  4. when the machine's Node is older but package.json `engines` still allows it (Node 20 today), runs
#     the data-layer suites (the `unit` project) again on the machine's Node, so what we promise holds;
#     that run keeps the suites where the runtime matters (both database drivers, migrations, seeding,
#     ingestion, assets and streams, actions, API reads and writes, exports, the CLI, backup, replica,
#     process errors) and leaves out (NODE20_SKIP below) the exhaustive runs (authorization matrix,
#     rollup property run, action fuzzer) and the domain-logic suites (hierarchy, health engine,
#     notifications, views, webhooks, layouts, plans, lifecycles, admin…), which run on Node 24 only: together they would add ~5 minutes
#     to a suite meant to stay under 25;
#  5. prints as its very last line `N passed, N failed` (totals across every run) and exits non-zero
#     if anything failed.
#
# NODE_LTS_MAJOR (default 24) and NODE_CACHE_DIR (default ~/.cache/customer-360/node) override the
# defaults; a CI that keeps NODE_CACHE_DIR between runs downloads Node 24 (~50 MB) once.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

REPORTS_DIR="test-results"
NODE_LTS_MAJOR="${NODE_LTS_MAJOR:-24}"
NODE_CACHE_DIR="${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/customer-360/node}"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
APT_UPDATED=0
EXTRA_FAILURES=()

# Ends the run after a set-up failure, still printing the totals line CI reads.
fail_setup() {
  echo "" >&2
  echo "ERROR: $1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

# Installs Debian packages as root, or stops with the exact command to run.
install_packages() {
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "[test] installing $* with apt-get…"
    export DEBIAN_FRONTEND=noninteractive
    if [ "$APT_UPDATED" = "0" ]; then
      apt-get update -qq || fail_setup "apt-get update failed"
      APT_UPDATED=1
    fi
    apt-get install -y -qq "$@" >/dev/null || fail_setup "apt-get install -y $* failed"
  else
    fail_setup "missing system packages for the tests. Install them with:
    sudo apt-get install -y $*
then run npm test again."
  fi
}

find_pg_bin() {
  local dir
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then
    echo "$PG_BIN"
    return 0
  fi
  # Newest version first.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

# --- 1. real services ---------------------------------------------------------------------------
if ! PG_BIN="$(find_pg_bin)"; then
  install_packages postgresql
  PG_BIN="$(find_pg_bin)" || fail_setup "PostgreSQL server binaries still not found after installing postgresql"
fi
export PG_BIN
if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
  # initdb refuses to run as root; the throwaway clusters run as the `postgres` OS user.
  install_packages postgresql
fi
echo "[test] PostgreSQL: $PG_BIN ($("$PG_BIN/pg_ctl" --version))"

if [ ! -x "$CHROMIUM" ]; then
  [ "$CHROMIUM" = "/usr/bin/chromium" ] || fail_setup "CHROMIUM_PATH=$CHROMIUM is not an executable"
  install_packages chromium
  [ -x "$CHROMIUM" ] || fail_setup "$CHROMIUM still missing after installing chromium"
fi
echo "[test] Chromium: $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo "version unknown"))"

# The two-instance test puts two `next start` behind Debian's haproxy (issue #19).
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  install_packages haproxy
  [ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1 || fail_setup "haproxy still missing after installing haproxy"
fi
echo "[test] haproxy: $( (command -v haproxy || echo /usr/sbin/haproxy) | head -n 1)"

if [ ! -x node_modules/.bin/vitest ] || [ ! -x node_modules/.bin/next ]; then
  fail_setup "node_modules is missing or incomplete: run npm install first"
fi

# --- 2. which Node runs what ---------------------------------------------------------------------
MACHINE_NODE="$(command -v node)"
MACHINE_NODE_VERSION="$(node -p process.versions.node)"

# Prints the bin folder of a cached Node $NODE_LTS_MAJOR, downloading the newest $NODE_LTS_MAJOR.x
# from the npm registry when the cache has none (or an older one while the registry answers).
# The package holds the official Node build; only its bin/node is unpacked (npm pack checks the
# tarball against the registry's integrity hash; no install scripts run).
ensure_lts_node() {
  local package version dir tmp tarball cached
  package="node-$(node -p process.platform)-$(node -p process.arch)"
  # `npm view pkg@24 version` lists every 24.x; the last is the newest.
  version="$(npm view "$package@$NODE_LTS_MAJOR" version --json 2>/dev/null \
    | node -e '
      let text = "";
      process.stdin.on("data", (d) => (text += d)).on("end", () => {
        let answer = [];
        try { answer = [].concat(JSON.parse(text)); } catch {} // an error comes back as a JSON object
        const versions = answer.filter((v) => typeof v === "string" && /^\d+\.\d+\.\d+$/.test(v));
        console.log(versions.pop() ?? "");
      });')" || version=""
  if [ -z "$version" ]; then
    # Registry unreachable: any cached $NODE_LTS_MAJOR.x will do.
    cached="$(ls -d "$NODE_CACHE_DIR/$package-$NODE_LTS_MAJOR".* 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$cached" ] && [ -x "$cached/bin/node" ]; then
      echo "[test] npm registry did not answer; using the cached $(basename "$cached")" >&2
      echo "$cached/bin"
      return 0
    fi
    echo "[test] could not look up $package@$NODE_LTS_MAJOR in the npm registry" >&2
    return 1
  fi
  dir="$NODE_CACHE_DIR/$package-$version"
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version 2>/dev/null)" = "v$version" ]; then
    echo "$dir/bin"
    return 0
  fi
  echo "[test] downloading Node $version ($package from the npm registry) into $NODE_CACHE_DIR…" >&2
  mkdir -p "$NODE_CACHE_DIR"
  tmp="$(mktemp -d "$NODE_CACHE_DIR/.download-XXXXXX")"
  if ! (cd "$tmp" && npm pack "$package@$version" --silent >/dev/null); then
    rm -rf "$tmp"
    echo "[test] npm pack $package@$version failed" >&2
    return 1
  fi
  tarball="$(ls "$tmp"/*.tgz)"
  if ! tar -xzf "$tarball" -C "$tmp" package/bin/node package/LICENSE \
    || [ "$("$tmp/package/bin/node" --version 2>/dev/null)" != "v$version" ]; then
    rm -rf "$tmp"
    echo "[test] $package@$version did not unpack into a working bin/node" >&2
    return 1
  fi
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
  rm -rf "$tmp"
  # Keep only the newest: each is ~120 MB.
  for cached in "$NODE_CACHE_DIR/$package-$NODE_LTS_MAJOR".*; do
    [ "$cached" = "$dir" ] || rm -rf "$cached"
  done
  echo "$dir/bin"
}

# Whether package.json `engines.node` (a ">=X.Y" floor) admits the machine's Node.
engines_allow_machine_node() {
  node -e '
    const range = require("./package.json").engines?.node ?? "";
    const floor = /^>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range);
    if (!floor) { console.error(`[test] engines.node "${range}" is not a ">=" floor; assuming it allows this Node`); process.exit(0); }
    const want = floor.slice(1).map((n) => Number(n ?? 0));
    const have = process.versions.node.split(".").map(Number);
    for (let i = 0; i < 3; i++) if (have[i] !== want[i]) process.exit(have[i] > want[i] ? 0 : 1);
  '
}

MAIN_NODE_BIN="$(dirname "$MACHINE_NODE")"
EXTRA_UNIT_RUN=0
# Left out of the second run (step 4); they still run on Node $NODE_LTS_MAJOR in the first.
NODE20_SKIP="test/authorization-actions.test.ts,test/rollups.test.ts,test/fuzz-actions.test.ts,test/data-model.test.ts,test/hierarchy.test.ts,test/health-engine.test.ts,test/success-units.test.ts,test/notifications.test.ts,test/notifications-sources.test.ts,test/views.test.ts,test/webhooks.test.ts,test/unfurl.test.ts,test/successplays-collections.test.ts,test/presentation.test.ts,test/account-merge.test.ts,test/layouts.test.ts,test/password-links.test.ts,test/plans.test.ts,test/lifecycle.test.ts,test/admin.test.ts,test/api-history-writes.test.ts"
if [ "${MACHINE_NODE_VERSION%%.*}" -ge "$NODE_LTS_MAJOR" ]; then
  echo "[test] Node: the machine's v$MACHINE_NODE_VERSION ($MACHINE_NODE) runs everything"
elif LTS_NODE_BIN="$(ensure_lts_node)"; then
  MAIN_NODE_BIN="$LTS_NODE_BIN"
  if engines_allow_machine_node; then
    EXTRA_UNIT_RUN=1
  else
    echo "[test] package.json engines no longer allow the machine's Node v$MACHINE_NODE_VERSION: it gets no run of its own"
  fi
else
  # Still run every suite (on the machine's Node) so the report says what passes; count the miss.
  EXTRA_FAILURES+=(--extra-failure "Node $NODE_LTS_MAJOR could not be obtained from the npm registry (see above)")
  echo "[test] Node $NODE_LTS_MAJOR unavailable: running everything on the machine's v$MACHINE_NODE_VERSION instead"
fi
MAIN_NODE_VERSION="$("$MAIN_NODE_BIN/node" -p process.versions.node)"
RUN_COUNT=$((1 + EXTRA_UNIT_RUN))

mkdir -p "$REPORTS_DIR"
rm -f "$REPORTS_DIR"/vitest*.json
TOTALS_ARGS=()

# --- 3. the main run: build, then every suite, on Node $NODE_LTS_MAJOR ---------------------------
# Node's bin first on PATH: `next` and `vitest` start with `#!/usr/bin/env node`, and the servers the
# tests start run on process.execPath (test/support/app-server.ts), i.e. this same Node.
export NEXT_TELEMETRY_DISABLED=1
# vitest.config.ts is loaded the bundled way; silence Vite's advice to make it native ESM.
export VITE_CONFIG_NATIVE_IGNORE_WARNING=true
echo ""
echo "[test] run 1 of $RUN_COUNT: Node v$MAIN_NODE_VERSION ($MAIN_NODE_BIN/node): next build, unit and e2e suites"
if [ "${SKIP_BUILD:-}" = "1" ]; then
  echo "[test] SKIP_BUILD=1: reusing the existing .next build"
else
  echo "[test] building the app (next build)…"
  build_started=$SECONDS
  if PATH="$MAIN_NODE_BIN:$PATH" node_modules/.bin/next build; then
    echo "[test] build finished in $((SECONDS - build_started)) s"
  else
    # Count the failed build, and still run every suite: the unit tests do not need it, and the
    # browser tests then fail (not skip) naming the missing build instead of testing a stale one.
    EXTRA_FAILURES+=(--extra-failure "next build on Node v$MAIN_NODE_VERSION")
    rm -f .next/BUILD_ID
  fi
fi

MAIN_REPORT="$REPORTS_DIR/vitest-node$MAIN_NODE_VERSION.json"
run_started=$SECONDS
set +e
PATH="$MAIN_NODE_BIN:$PATH" node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$MAIN_REPORT"
main_exit=$?
set -e
echo "[test] run 1 of $RUN_COUNT (Node v$MAIN_NODE_VERSION) finished in $((SECONDS - run_started)) s"
TOTALS_ARGS+=("$MAIN_REPORT" --label "Node v$MAIN_NODE_VERSION, unit + e2e" --vitest-exit "$main_exit")

# --- 4. the data-layer suites again on the machine's older Node, while engines allow it -----------
if [ "$EXTRA_UNIT_RUN" = "1" ]; then
  echo ""
  echo "[test] run 2 of $RUN_COUNT: Node v$MACHINE_NODE_VERSION ($MACHINE_NODE): unit suites (package.json engines still allow it)"
  UNIT_REPORT="$REPORTS_DIR/vitest-node$MACHINE_NODE_VERSION-unit.json"
  run_started=$SECONDS
  set +e
  VITEST_UNIT_SKIP="$NODE20_SKIP" node_modules/.bin/vitest run --project unit --reporter=default --reporter=json --outputFile.json="$UNIT_REPORT"
  unit_exit=$?
  set -e
  echo "[test] run 2 of $RUN_COUNT (Node v$MACHINE_NODE_VERSION) finished in $((SECONDS - run_started)) s"
  TOTALS_ARGS+=("$UNIT_REPORT" --label "Node v$MACHINE_NODE_VERSION, unit" --vitest-exit "$unit_exit")
fi

# --- 5. totals: the last line ---------------------------------------------------------------------
echo ""
echo "[test] finished in $SECONDS s (JSON reports in $REPORTS_DIR/)"
node scripts/test-totals.mjs "${TOTALS_ARGS[@]}" "${EXTRA_FAILURES[@]}"
