#!/usr/bin/env bash
# End-to-end comparison of oktaql with jq (and jaq, and `rg -c` on the seed literal) on ~100 MB of
# generated Okta System Log events. Run from anywhere:   benches/compare.sh
#
#   1. cargo build --release                                   (the oktaql binary)
#   2. target/bench/events.ndjson, if missing:                 (seeded, reproducible)
#        cargo run --release --example gen_events -- --seed 7 --bytes 100000000
#   3. for each query (seed, broad, rule): oktaql and jq must select the same events (counts are
#      printed; outputs are compared byte for byte); the run stops loudly if they differ
#   4. peak memory (max RSS) of oktaql and jq on each query, with GNU time
#   5. hyperfine, side by side, output to a file (target/bench/hyperfine-output.txt); JSON and
#      Markdown in target/bench/
#   6. a summary: file size, median seconds per tool, MB/s, ratios (target/bench/summary.md)
#
# Environment: RUNS (default 5), WARMUP (default 1), FILE (default target/bench/events.ndjson),
# SKIP_OKTAQL=1 to time only the other tools (when the binary cannot be built yet), BASE=PATH to
# time another oktaql binary side by side (named `base`: main's, to see what a change costs).
#
# Tools: hyperfine, ripgrep, jq and GNU time come from Debian:
#   apt-get update && apt-get install -y hyperfine ripgrep jq time
# jaq is optional (cargo install jaq --locked; slow to build on 2 cores): skipped when absent.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench
FILE=${FILE:-$OUT/events.ndjson}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
SKIP_OKTAQL=${SKIP_OKTAQL:-0}
BASE=${BASE:-}
OKTAQL=$ROOT/target/release/oktaql
mkdir -p "$OUT"

die() {
    printf '\ncompare.sh: FAILED: %s\n' "$*" >&2
    exit 1
}

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v cargo >/dev/null || missing+=("cargo (https://rustup.rs)")
command -v jq >/dev/null || missing+=("jq (apt-get install -y jq)")
command -v hyperfine >/dev/null || missing+=("hyperfine (apt-get install -y hyperfine)")
command -v rg >/dev/null || missing+=("rg (apt-get install -y ripgrep)")
if ! { [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; }; then
    missing+=("GNU time at /usr/bin/time (apt-get install -y time)")
fi
if [ ${#missing[@]} -gt 0 ]; then
    printf 'compare.sh: missing tools:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    printf 'On Debian/Ubuntu: apt-get update && apt-get install -y hyperfine ripgrep jq time\n' >&2
    exit 1
fi
HAVE_JAQ=0
if command -v jaq >/dev/null; then
    HAVE_JAQ=1
else
    echo "note: jaq not installed, skipped (optional: cargo install jaq --locked)"
fi

# --- build and data ----------------------------------------------------------------------------
if [ "$SKIP_OKTAQL" = 1 ]; then
    echo "note: SKIP_OKTAQL=1: oktaql is neither built nor timed"
else
    echo "== cargo build --release"
    cargo build --release
    [ -x "$OKTAQL" ] || die "cargo build --release did not produce $OKTAQL"
fi

if [ ! -s "$FILE" ]; then
    echo "== generating $FILE (seed 7, 100000000 bytes)"
    cargo run --release --example gen_events -- --seed 7 --bytes 100000000 >"$FILE.tmp"
    mv "$FILE.tmp" "$FILE"
fi
BYTES=$(wc -c <"$FILE")
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
EVENTS=$(wc -l <"$FILE")
echo "== input: $FILE, $MB MB, $EVENTS events"

# --- queries -----------------------------------------------------------------------------------
NAMES=(seed broad rule)
declare -A FILTER JQ LITERAL
FILTER[seed]='eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"'
JQ[seed]='select(.eventType == "system.import.start" and .debugContext.debugData.importTrigger == "Manual action")'
LITERAL[seed]='Manual action'
LITERAL[broad]='SUCCESS'

FILTER[broad]='outcome.result eq "SUCCESS"'
JQ[broad]='select(.outcome.result == "SUCCESS")'

FILTER[rule]='eventType sw "user.authentication" and outcome.result eq "SUCCESS" and (debugContext.debugData.logOnlySecurityData co "\"New Device\":\"POSITIVE\"" or debugContext.debugData.behaviors co "New Device=POSITIVE") and not (client.zone eq "Corporate Network")'
# Same meaning in jq: co/sw hold only on strings (anything else counts as ""), a missing zone is
# not "Corporate Network", so the `not (...)` holds. contains() on two strings is a substring test.
JQ[rule]='def str: if type == "string" then . else "" end;
select((.eventType | str | startswith("user.authentication"))
  and .outcome.result == "SUCCESS"
  and ((.debugContext.debugData.logOnlySecurityData | str | contains("\"New Device\":\"POSITIVE\""))
    or (.debugContext.debugData.behaviors | str | contains("New Device=POSITIVE")))
  and ((.client.zone == "Corporate Network") | not))'

# Single-quotes a word for the shell hyperfine runs the commands with.
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# Runs "$@" and prints its stdout; exit status 1 ("nothing selected") is not an error.
run_01() {
    local rc=0
    "$@" || rc=$?
    [ "$rc" -le 1 ] || die "exit status $rc from: $*"
}

# --- 1. same answers ---------------------------------------------------------------------------
echo
echo "== checking that the tools select the same events"
# jq -c re-serialises each event; on generated events that is the input line byte for byte, so
# oktaql's output (the input lines themselves) can be compared with jq's directly.
if ! head -n 200 "$FILE" | jq -c . | cmp -s - <(head -n 200 "$FILE"); then
    echo "note: jq -c does not reproduce the input lines exactly; comparing counts only"
    SAME_BYTES=0
else
    SAME_BYTES=1
fi
declare -A COUNT
for q in "${NAMES[@]}"; do
    jq -c "${JQ[$q]}" "$FILE" >"$OUT/check-$q-jq.ndjson"
    n_jq=$(wc -l <"$OUT/check-$q-jq.ndjson")
    COUNT[$q]=$n_jq
    line="$q: jq $n_jq"
    if [ "$SKIP_OKTAQL" != 1 ]; then
        n_ok=$(run_01 "$OKTAQL" -c "${FILTER[$q]}" "$FILE")
        run_01 "$OKTAQL" "${FILTER[$q]}" "$FILE" >"$OUT/check-$q-oktaql.ndjson"
        n_lines=$(wc -l <"$OUT/check-$q-oktaql.ndjson")
        line="$line, oktaql -c $n_ok, oktaql lines $n_lines"
    fi
    if [ "$HAVE_JAQ" = 1 ]; then
        n_jaq=$(jaq -c "${JQ[$q]}" "$FILE" | wc -l)
        line="$line, jaq $n_jaq"
    fi
    if [ -n "${LITERAL[$q]:-}" ]; then
        line="$line, rg -c (lines holding \"${LITERAL[$q]}\") $(run_01 rg -c -F "${LITERAL[$q]}" "$FILE")"
    fi
    echo "  $line"
    if [ "$SKIP_OKTAQL" != 1 ]; then
        [ "$n_ok" = "$n_jq" ] || die "$q: oktaql -c counts $n_ok events, jq selects $n_jq"
        [ "$n_lines" = "$n_jq" ] || die "$q: oktaql prints $n_lines events, jq selects $n_jq"
        if [ "$SAME_BYTES" = 1 ]; then
            cmp -s "$OUT/check-$q-oktaql.ndjson" "$OUT/check-$q-jq.ndjson" ||
                die "$q: oktaql and jq select different events (diff $OUT/check-$q-oktaql.ndjson $OUT/check-$q-jq.ndjson)"
        fi
    fi
    if [ "$HAVE_JAQ" = 1 ] && [ "$n_jaq" != "$n_jq" ]; then
        echo "  warning: $q: jaq selects $n_jaq events, jq $n_jq"
    fi
done
rm -f "$OUT"/check-*.ndjson

# --- 2. peak memory ----------------------------------------------------------------------------
echo
echo "== peak memory (max RSS)"
declare -A RSS_OK RSS_JQ
max_rss() { # prints the max RSS in MB of "$@", output discarded
    local rc=0
    /usr/bin/time -v "$@" >/dev/null 2>"$OUT/time.txt" || rc=$?
    [ "$rc" -le 1 ] || die "exit status $rc from: $*"
    awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$OUT/time.txt"
}
for q in "${NAMES[@]}"; do
    RSS_JQ[$q]=$(max_rss jq -c "${JQ[$q]}" "$FILE")
    line="$q: jq ${RSS_JQ[$q]} MB"
    if [ "$SKIP_OKTAQL" != 1 ]; then
        RSS_OK[$q]=$(max_rss "$OKTAQL" "${FILTER[$q]}" "$FILE")
        line="$line, oktaql ${RSS_OK[$q]} MB"
    fi
    echo "  $line"
done
rm -f "$OUT/time.txt"

# --- 3. timing ---------------------------------------------------------------------------------
f=$(sq "$FILE")
for q in "${NAMES[@]}"; do
    echo
    echo "== timing: $q"
    cmds=()
    if [ "$SKIP_OKTAQL" != 1 ]; then
        cmds+=(-n oktaql "$(sq "$OKTAQL") $(sq "${FILTER[$q]}") $f")
    fi
    if [ -n "$BASE" ]; then
        cmds+=(-n base "$(sq "$BASE") $(sq "${FILTER[$q]}") $f")
    fi
    cmds+=(-n jq "jq -c $(sq "${JQ[$q]}") $f")
    if [ "$HAVE_JAQ" = 1 ]; then
        cmds+=(-n jaq "jaq -c $(sq "${JQ[$q]}") $f")
    fi
    if [ -n "${LITERAL[$q]:-}" ]; then
        cmds+=(-n rg "rg -c -F $(sq "${LITERAL[$q]}") $f")
    fi
    # -i: oktaql and rg exit 1 when nothing matches.
    # Output to a file, as users keep the result (not /dev/null, which some
    # tools special-case).
    hyperfine -i --warmup "$WARMUP" --runs "$RUNS" --output "$OUT/hyperfine-output.txt" \
        --export-json "$OUT/$q.json" --export-markdown "$OUT/$q.md" "${cmds[@]}"
done

# --- 4. summary --------------------------------------------------------------------------------
median() { # query tool -> median seconds, or empty
    jq -r --arg t "$2" '.results[] | select(.command == $t) | .median' "$OUT/$1.json"
}
{
    echo "# oktaql vs jq: $MB MB, $EVENTS events ($(basename "$FILE"))"
    echo
    echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "Tools: $(jq --version), $(hyperfine --version), $(rg --version | head -n 1)$([ "$HAVE_JAQ" = 1 ] && echo ", $(jaq --version)")$([ "$SKIP_OKTAQL" != 1 ] && echo ", $("$OKTAQL" --version)")"
    echo "hyperfine --warmup $WARMUP --runs $RUNS, output to a file; medians."
    echo
    echo "| query | selected | tool | median s | MB/s | peak RSS MB |"
    echo "|---|---:|---|---:|---:|---:|"
    for q in "${NAMES[@]}"; do
        for t in oktaql base jq jaq rg; do
            m=$(median "$q" "$t")
            [ -n "$m" ] || continue
            rss=""
            [ "$t" = oktaql ] && rss=${RSS_OK[$q]}
            [ "$t" = jq ] && rss=${RSS_JQ[$q]}
            awk -v q="$q" -v n="${COUNT[$q]}" -v t="$t" -v m="$m" -v mb="$MB" -v rss="$rss" \
                'BEGIN { printf "| %s | %s | %s | %.3f | %.0f | %s |\n", q, n, t, m, mb / m, rss }'
        done
    done
    if [ -n "$BASE" ] && [ "$SKIP_OKTAQL" != 1 ]; then
        echo
        echo "base: $BASE"
        echo
        echo "| query | oktaql time / base time |"
        echo "|---|---:|"
        for q in "${NAMES[@]}"; do
            awk -v q="$q" -v ok="$(median "$q" oktaql)" -v b="$(median "$q" base)" \
                'BEGIN { printf "| %s | %.3f |\n", q, ok / b }'
        done
    fi
    if [ "$SKIP_OKTAQL" != 1 ]; then
        echo
        echo "| query | oktaql vs jq (throughput ×) | oktaql vs jaq (×) | oktaql time / rg time |"
        echo "|---|---:|---:|---:|"
        for q in "${NAMES[@]}"; do
            ok=$(median "$q" oktaql)
            awk -v q="$q" -v ok="$ok" -v jq="$(median "$q" jq)" -v jaq="$(median "$q" jaq)" \
                -v rg="$(median "$q" rg)" 'BEGIN {
                    printf "| %s | %.1f× | %s | %s |\n", q, jq / ok,
                        (jaq == "" ? "-" : sprintf("%.1f×", jaq / ok)),
                        (rg == "" ? "-" : sprintf("%.2f", ok / rg)) }'
        done
    fi
} >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
echo
echo "(written to $OUT/summary.md; hyperfine results in $OUT/{seed,broad,rule}.{json,md})"
