#!/usr/bin/env bash
# The whole test suite: `npm test`. On a fresh Debian 12 machine after `npm install` it
#  1. makes sure the real services the tests use are installed (PostgreSQL server binaries and
#     Chromium), installing them with apt-get when running as root, like `playwright install --with-deps`;
#  2. builds the app for the browser tests (`npx next build`; SKIP_BUILD=1 reuses the last build);
#  3. runs vitest once over every project (unit + e2e) with a JSON report in test-results/;
#  4. prints as its very last line `N passed, N failed` and exits non-zero if anything failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

REPORT="test-results/vitest.json"
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

if [ ! -x node_modules/.bin/vitest ] || [ ! -x node_modules/.bin/next ]; then
  fail_setup "node_modules is missing or incomplete: run npm install first"
fi

# --- 2. production build for the browser tests --------------------------------------------------
export NEXT_TELEMETRY_DISABLED=1
# vitest.config.ts is loaded the bundled way; silence Vite's advice to make it native ESM.
export VITE_CONFIG_NATIVE_IGNORE_WARNING=true
if [ "${SKIP_BUILD:-}" = "1" ]; then
  echo "[test] SKIP_BUILD=1: reusing the existing .next build"
else
  echo "[test] building the app (npx next build)…"
  build_started=$SECONDS
  if npx --no-install next build; then
    echo "[test] build finished in $((SECONDS - build_started)) s"
  else
    # Count the failed build, and still run every suite: the unit tests do not need it, and the
    # browser tests then fail (not skip) naming the missing build instead of testing a stale one.
    EXTRA_FAILURES+=(--extra-failure "next build")
    rm -f .next/BUILD_ID
  fi
fi

# --- 3. every test suite, once ------------------------------------------------------------------
mkdir -p "$(dirname "$REPORT")"
rm -f "$REPORT"
set +e
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$REPORT"
vitest_exit=$?
set -e

# --- 4. totals: the last line ---------------------------------------------------------------------
echo "[test] finished in $SECONDS s (JSON report: $REPORT)"
node scripts/test-totals.mjs "$REPORT" --vitest-exit "$vitest_exit" "${EXTRA_FAILURES[@]}"
