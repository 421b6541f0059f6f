#!/usr/bin/env bash
# The SQL suite: oktaql's SQL run by DuckDB, ClickHouse (chDB) and Spark,
# checked against oktaql's own verdicts. Creates its own virtual
# environment (target/sqlvenv, or $OKTAQL_SQL_VENV), installs the engines,
# builds the oracle (examples/sql_oracle.rs) and runs tests/sql/run.py with
# any arguments given (--engines duckdb,clickhouse,spark --random N ...),
# then tests/sql/rules.py (the rule sets of `oktaql sql --rules`) in the same engines.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${OKTAQL_SQL_VENV:-target/sqlvenv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check 'duckdb>=1.3' 'chdb>=3' 'pyspark>=4'
if ! command -v java >/dev/null 2>&1; then
  echo "Spark needs Java 17: apt-get install -y openjdk-17-jre-headless" >&2
  exit 1
fi
cargo build --quiet --example sql_oracle --bin oktaql
"$venv/bin/python" -u tests/sql/run.py --oracle target/debug/examples/sql_oracle "$@"
# The rule sets' id arrays (oktaql sql --rules), in the same engines.
engines=()
for a in "$@"; do
  case "$a" in --engines=*) engines=("$a") ;; esac
done
prev=""
for a in "$@"; do
  [ "$prev" = "--engines" ] && engines=(--engines "$a")
  prev="$a"
done
exec "$venv/bin/python" -u tests/sql/rules.py --oracle target/debug/examples/sql_oracle "${engines[@]}"
