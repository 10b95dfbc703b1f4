// Stands in for the `server-only` package under vitest, so data-layer modules can be imported by tests.
export {};
