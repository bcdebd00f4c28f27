#!/usr/bin/env bash
# MariaDB and PostgreSQL on loopback, for the runtime's store-sink tests
# (tests/tests/stores.rs).
#
#   tests/db/servers.sh start   install what is missing (Debian packages), start both
#                               servers, create database `streamsql` and user
#                               `streamsql` (password `streamsql`, TCP on 127.0.0.1),
#                               wait until both accept connections; prints the `env`
#                               lines last
#   tests/db/servers.sh stop    stop both servers (the system services)
#   tests/db/servers.sh env     prints `export STREAMSQL_MYSQL_URL=...` and
#                               `export STREAMSQL_POSTGRES_URL=...`
#
# Idempotent: packages are installed only when missing, a running server is left
# running, the database and user are created only when absent. Needs root or sudo
# (apt-get, service). MariaDB listens on 3306, PostgreSQL on 5432.
set -euo pipefail

MYSQL_URL="mysql://streamsql:streamsql@127.0.0.1:3306/streamsql"
POSTGRES_URL="postgres://streamsql:streamsql@127.0.0.1:5432/streamsql"

log() { echo "servers.sh: $*" >&2; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then
        $SUDO apt-get update -qq >&2
        apt_updated=1
    fi
    # policy-rc.d is not touched: the servers may start on install, which is fine.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >&2
}

install() {
    if ! command -v mariadbd >/dev/null 2>&1 && ! [ -x /usr/sbin/mariadbd ]; then
        log "installing mariadb-server"
        apt_install --no-install-recommends mariadb-server mariadb-client
    fi
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        log "installing postgresql"
        apt_install postgresql
    fi
}

# Waits up to $2 seconds for port $1.
wait_port() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        port_open "$1" && return 0
        sleep 0.1
    done
    return 1
}

start_mariadb() {
    if ! port_open 3306; then
        log "starting mariadb"
        $SUDO service mariadb start >&2 9>&- || true
        wait_port 3306 60 || {
            log "mariadb did not listen on 3306 within 60 s"
            tail -n 20 /var/log/mysql/error.log >&2 2>/dev/null || true
            exit 1
        }
    fi
    # Root logs in over the Unix socket (unix_socket authentication, Debian's default).
    local i
    for ((i = 0; i < 100; i++)); do
        $SUDO mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.2
    done
    $SUDO mariadb -uroot >&2 <<'SQL'
CREATE DATABASE IF NOT EXISTS streamsql CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'streamsql'@'127.0.0.1' IDENTIFIED BY 'streamsql';
CREATE USER IF NOT EXISTS 'streamsql'@'localhost' IDENTIFIED BY 'streamsql';
GRANT ALL PRIVILEGES ON streamsql.* TO 'streamsql'@'127.0.0.1';
GRANT ALL PRIVILEGES ON streamsql.* TO 'streamsql'@'localhost';
FLUSH PRIVILEGES;
SQL
}

start_postgres() {
    if ! port_open 5432; then
        log "starting postgresql"
        # A package installed with policy-rc.d denying starts may have no cluster yet.
        if command -v pg_lsclusters >/dev/null 2>&1 && [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
            local ver
            ver="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
            $SUDO pg_createcluster "$ver" main >&2 9>&-
        fi
        $SUDO service postgresql start >&2 9>&- || true
        wait_port 5432 60 || {
            log "postgresql did not listen on 5432 within 60 s"
            tail -n 20 /var/log/postgresql/*.log >&2 2>/dev/null || true
            exit 1
        }
    fi
    local psql=(psql -v ON_ERROR_STOP=1 -qAt)
    local as_pg=(runuser -u postgres --)
    [ -z "$SUDO" ] || as_pg=(sudo -u postgres)
    local i
    for ((i = 0; i < 100; i++)); do
        "${as_pg[@]}" "${psql[@]}" -c 'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.2
    done
    if [ "$("${as_pg[@]}" "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'streamsql'")" != "1" ]; then
        "${as_pg[@]}" "${psql[@]}" -c "CREATE ROLE streamsql LOGIN PASSWORD 'streamsql'" >&2
    fi
    if [ "$("${as_pg[@]}" "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'streamsql'")" != "1" ]; then
        "${as_pg[@]}" "${psql[@]}" -c "CREATE DATABASE streamsql OWNER streamsql" >&2
    fi
    # Debian's pg_hba.conf already allows password (scram) logins over 127.0.0.1.
}

# Waits until the streamsql user can log in to both over TCP (what the tests do).
wait_ready() {
    local i
    for ((i = 0; i < 150; i++)); do
        if mariadb -h127.0.0.1 -P3306 -ustreamsql -pstreamsql streamsql -e 'SELECT 1' >/dev/null 2>&1 &&
            PGPASSWORD=streamsql psql -h 127.0.0.1 -p 5432 -U streamsql -d streamsql -qAt -c 'SELECT 1' >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    log "the servers do not accept the streamsql user after 30 s"
    exit 1
}

print_env() {
    echo "export STREAMSQL_MYSQL_URL=$MYSQL_URL"
    echo "export STREAMSQL_POSTGRES_URL=$POSTGRES_URL"
}

# One start/stop at a time (test binaries or scripts may call this together). The
# servers must not inherit the lock's descriptor (9>&- where they start): they would
# hold the lock for as long as they run.
lock() {
    exec 9>"/tmp/streamsql-db-servers.lock"
    if command -v flock >/dev/null; then
        flock 9
    fi
}

case "${1:-}" in
start)
    lock
    install
    start_mariadb
    start_postgres
    wait_ready
    log "mariadb on 127.0.0.1:3306 and postgresql on 127.0.0.1:5432 are ready"
    print_env
    ;;
stop)
    lock
    $SUDO service mariadb stop >&2 9>&- || true
    $SUDO service postgresql stop >&2 9>&- || true
    ;;
env) print_env ;;
*)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
