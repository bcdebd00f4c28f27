#!/usr/bin/env bash
# The warehouse demo on Kafka and MariaDB (README, second command): installs and starts
# a Kafka-protocol broker (Tansu, tests/kafka/broker.sh) and MariaDB
# (tests/db/servers.sh) when they are not running, then runs every example job with
# its sources and Kafka sinks on topics and its RDS/HBase/OTS sinks in MariaDB.
# Arguments go to `warehouse` (e.g. --count 5000, --job daily_shop_traffic).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/setup.sh
brokers=$(bash tests/kafka/broker.sh start | tail -n 1)
db_env=$(bash tests/db/servers.sh start | tail -n 2)
eval "$db_env"
cargo run --release -p streamsql-examples --features kafka --bin warehouse -- \
    --kafka "$brokers" --rds "$STREAMSQL_MYSQL_URL" "$@"
