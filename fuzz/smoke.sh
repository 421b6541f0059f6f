#!/usr/bin/env bash
# A short run of every fuzz target: fuzz/smoke.sh [SECONDS per target, default 20].
# Installs cargo-fuzz (and the nightly toolchain) if missing, seeds the
# corpora, builds all targets once, runs each for SECONDS, and exits non-zero
# if any target finds a crash (the input lands in fuzz/artifacts/<target>/).
set -euo pipefail
secs="${1:-20}"
cd "$(dirname "$0")"

if ! cargo +nightly --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

python3 seed.py

# Sanitizer none: the crate is #![forbid(unsafe_code)], and ASan would halve
# the runs per second; debug assertions and overflow checks stay on.
flags=(--sanitizer none)
cargo +nightly fuzz build "${flags[@]}"

logs="$(mktemp -d)"
failed=()
for target in parse roundtrip eval differential reader sql rules; do
  dict=()
  [ "$target" != roundtrip ] && [ "$target" != reader ] && [ "$target" != rules ] && dict=(-dict=filter.dict)
  echo "=== fuzz $target for ${secs}s"
  if cargo +nightly fuzz run "${flags[@]}" "$target" -- \
      -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
      >"$logs/$target.log" 2>&1; then
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units)' "$logs/$target.log" || true
  else
    tail -n 60 "$logs/$target.log" >&2
    failed+=("$target")
  fi
done
rm -rf "$logs"

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz smoke: crash in: ${failed[*]} (inputs under fuzz/artifacts/; see fuzz/README.md)" >&2
  exit 1
fi
echo "fuzz smoke: no crash in ${secs}s per target"
