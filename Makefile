# AppSnap: `make run` opens the desktop app on the Sandbox profile; `make test` runs everything.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

APP_BIN := target/debug/appsnap-desktop
# The desktop binary with the UI built in (no dev server): what users and e2e run.
APP_FEATURES := --features custom-protocol

# What the app, the CLI and the examples are built with on their own...
BUILD_APP = cargo build $(APP_FEATURES)
BUILD_CLI = cargo build -p appsnap-cli
BUILD_RENDER = cargo build -q -p appsnap-core --example render_script
# ...and under `make test`: the Rust tests' own build (workspace, every target, the same
# features), which they have compiled already. Any other feature set compiles most of
# the dependency tree again (a CLI-only build resolves tokio, serde_json... differently):
# about 5 minutes of a cold CI run on two cores.
TEST_BUILD = cargo build --workspace --all-targets $(APP_FEATURES)
test: BUILD_APP = $(TEST_BUILD)
test: BUILD_CLI = $(TEST_BUILD)
test: BUILD_RENDER = $(TEST_BUILD)

.PHONY: help deps deps-test ui app run dev test lint rust-test ui-test bindings-check e2e package package-test ci-time sdk-compat scripts-real bench

help:
	@echo "make run    install what is missing, build, open AppSnap on the Sandbox profile"
	@echo "make test   install what is missing, then fmt, clippy, Rust tests, TS type-check,"
	@echo "            UI unit tests, bindings freshness and the end-to-end suite under Xvfb"
	@echo "make dev    hot-reloading development (tauri dev)"
	@echo "make package  the .deb (target/debug/bundle/deb), from the debug app binary"

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

ui: deps
	npm run build

app: ui
	$(BUILD_APP)

run: deps app
	$(APP_BIN)

dev: deps
	npx tauri dev

# The app embeds dist/ (custom-protocol), so every cargo step needs the UI built first.
test: deps-test ui lint rust-test ui-test bindings-check sdk-compat scripts-real e2e package-test
	@echo "make test: all suites passed"

lint: ui
	cargo fmt --all -- --check
	node --test scripts/check-layers.test.mjs
	node scripts/check-layers.mjs
	cargo clippy --workspace --all-targets $(APP_FEATURES) -- -D warnings

rust-test: ui
	if command -v cargo-nextest >/dev/null; then \
	  scripts/with-keyring.sh cargo nextest run --workspace $(APP_FEATURES) --no-fail-fast; \
	else \
	  scripts/with-keyring.sh cargo test --workspace $(APP_FEATURES) --no-fail-fast --lib --bins --tests; \
	fi
	cargo test --workspace --doc $(APP_FEATURES)

ui-test:
	npm run typecheck
	npm test

# Regenerates the ts-rs bindings and the command table's commands.ts (src-tauri's
# export_bindings_commands test) and fails when the committed ones differ.
bindings-check: ui
	rm -rf ui/src/bindings
	cargo test --workspace $(APP_FEATURES) --quiet export_bindings >/dev/null
	git add -N ui/src/bindings
	git diff --exit-code --stat -- ui/src/bindings || { echo "ui/src/bindings is stale: run 'cargo test --workspace $(APP_FEATURES) export_bindings' and commit"; exit 1; }

# Alibaba Cloud's official Python SDKs (pinned, from PyPI, venv in target/sdk-venv) against
# `appsnap sandbox serve`: both signature styles, unchanged clients.
sdk-compat: ui
	$(BUILD_CLI)
	tests/sdk-compat/run.sh

# The freeze/thaw templates on throwaway MariaDB, PostgreSQL and Redis servers (Debian
# packages from deps-test), plus shellcheck on every template. Needs root, as the guest
# runs the scripts as root (sudo when make runs as a user; the renderer is built first as
# that user).
scripts-real: deps-test ui
	$(BUILD_RENDER)
	if [ "$$(id -u)" -eq 0 ]; then tests/scripts-real/run.sh; \
	else sudo env SCRIPTS_REAL_PREBUILT=1 tests/scripts-real/run.sh; fi

# Not part of `make test`: prints numbers (docs/BENCHMARKS.md), asserts only completeness.
bench:
	cargo run --release -p acs-openapi --example bench_sandbox
	tests/sdk-compat/venv.sh
	cargo run --release -p appsnap-core --example bench_fleet
	cargo run --release -p appsnap-core --example bench_jobs
	cargo run --release -p appsnap-core --example bench_history

e2e: app
	tests/e2e/run.sh

# The .deb from the debug binary `make app` built (`tauri bundle` reuses it: no second
# compile). A release package: `npx tauri build --bundles deb` (target/release/bundle/deb).
package: app
	npx tauri bundle --debug --bundles deb --features custom-protocol

# The .deb unpacked (dpkg -x) into a scratch root, its binary in a real window on the Sandbox.
package-test: package
	tests/package/run.sh
