#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing (system packages,
# Apache Flink 2.3 as the oracle, the Tansu Kafka broker), runs every test, prints the
# differential harness's table, and stops the broker it started by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/setup.sh
STREAMSQL_FLINK_PYTHON=$(bash tests/flink/install.sh | tail -n 1)
export STREAMSQL_FLINK_PYTHON
STREAMSQL_KAFKA_BROKERS=$(bash tests/kafka/broker.sh start | tail -n 1)
export STREAMSQL_KAFKA_BROKERS

log=$(mktemp)
trap 'bash tests/kafka/broker.sh stop >/dev/null 2>&1 || true; rm -f "$log"' EXIT
cargo test --workspace 2>&1 | tee "$log"

echo
echo "differential harness (Flink 2.3 vs streamsql):"
cat target/flink-harness/report.txt

# cargo prints one "test result" line per test binary, the last often a doc-test
# binary with 0 tests; close with the totals over all of them.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "total: %d passed, %d failed\n", p, f }' "$log"
