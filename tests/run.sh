#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing (system packages,
# Apache Flink 2.3 as the oracle, the Tansu Kafka broker, MariaDB and PostgreSQL for
# the store sinks), runs every test, prints the differential harness's table, and
# stops the broker and the database servers if it started them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/setup.sh
STREAMSQL_FLINK_PYTHON=$(bash tests/flink/install.sh | tail -n 1)
export STREAMSQL_FLINK_PYTHON
# The broker is stopped at the end only when this run started it (a developer's
# running broker stays up), as the database servers below.
broker_was_up=""
if (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null; then
    broker_was_up=1
fi
STREAMSQL_KAFKA_BROKERS=$(bash tests/kafka/broker.sh start | tail -n 1)
export STREAMSQL_KAFKA_BROKERS
# MariaDB and PostgreSQL (tests/tests/stores.rs): stopped at the end only when this run
# started them (a developer's running servers stay up).
db_was_up=""
if (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    db_was_up=1
fi
# (Assigned first: a failure inside "$(...)" given straight to eval would be ignored.)
db_env=$(bash tests/db/servers.sh start | tail -n 2)
eval "$db_env"

log=$(mktemp)
cleanup() {
    [ -n "$broker_was_up" ] || bash tests/kafka/broker.sh stop >/dev/null 2>&1 || true
    [ -n "$db_was_up" ] || bash tests/db/servers.sh stop >/dev/null 2>&1 || true
    rm -f "$log"
}
trap cleanup EXIT
cargo test --workspace 2>&1 | tee "$log"
# The README's second demo command (the warehouse on Kafka and MariaDB) needs the
# examples' `kafka` feature, which `--workspace` leaves off.
cargo test -p streamsql-examples --features kafka --test warehouse the_warehouse_runs_on_kafka_and_mariadb 2>&1 | tee -a "$log"

echo
echo "differential harness (Flink 2.3 vs streamsql):"
cat target/flink-harness/report.txt
echo
echo "the same jobs with Kafka sources and sinks and MariaDB stores:"
tail -n 1 target/flink-harness/kafka-mariadb-report.txt

# cargo prints one "test result" line per test binary, the last often a doc-test
# binary with 0 tests; close with the totals over all of them.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "total: %d passed, %d failed\n", p, f }' "$log"
