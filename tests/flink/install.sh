#!/usr/bin/env bash
# Installs the Flink 2.3 oracle of the differential harness (idempotent, safe to re-run).
#
#   tests/flink/install.sh        # prints the venv's python path on its last line
#
# - venv with apache-flink==2.3.0 (PyFlink: the Flink runtime jars + a local mini-cluster)
#   at ${STREAMSQL_FLINK_HOME:-$HOME/.cache/streamsql/flink-2.3.0}/venv, skipped when
#   `python -c 'import pyflink'` already works there;
# - Java 17 (openjdk-17-jre-headless + openjdk-17-jdk-headless) via apt-get, only if `java`
#   or `javac` is missing; python3-venv via apt-get, only if `python3 -m venv` cannot work;
# - the lookup-join test fixture (tests/flink/fixture) compiled against the wheel's jars into
#   ${STREAMSQL_FLINK_HOME}/fixture.jar when a source file is newer than the jar.
#
# Environment: STREAMSQL_FLINK_HOME (install dir), STREAMSQL_FLINK_BASE_PYTHON (interpreter
# that creates the venv, default python3; PyFlink 2.3 wants Python 3.9-3.12).
set -euo pipefail

FLINK_VERSION=2.3.0
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FLINK_HOME_DIR="${STREAMSQL_FLINK_HOME:-$HOME/.cache/streamsql/flink-$FLINK_VERSION}"
VENV="$FLINK_HOME_DIR/venv"
PY="$VENV/bin/python"
BASE_PY="${STREAMSQL_FLINK_BASE_PYTHON:-python3}"
JAR="$FLINK_HOME_DIR/fixture.jar"

log() { echo "install.sh: $*" >&2; }

# ---------------------------------------------------------------- system packages (apt)
APT_PKGS=()
if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
    APT_PKGS+=(openjdk-17-jre-headless openjdk-17-jdk-headless)
fi
if ! "$PY" -c 'import pyflink' >/dev/null 2>&1; then
    if ! command -v "$BASE_PY" >/dev/null 2>&1; then
        APT_PKGS+=(python3 python3-venv)
    elif ! "$BASE_PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        APT_PKGS+=(python3-venv)   # Debian strips ensurepip from python3
    fi
fi
if [ "${#APT_PKGS[@]}" -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
            log "need root (or sudo) to apt-get install ${APT_PKGS[*]}"; exit 1
        fi
    fi
    log "apt-get install ${APT_PKGS[*]}"
    $SUDO apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${APT_PKGS[@]}" >&2
fi

# ---------------------------------------------------------------- PyFlink venv
if "$PY" -c 'import pyflink' >/dev/null 2>&1; then
    log "PyFlink already installed in $VENV"
else
    log "creating $VENV with apache-flink==$FLINK_VERSION"
    mkdir -p "$FLINK_HOME_DIR"
    rm -rf "$VENV"
    "$BASE_PY" -m venv "$VENV"
    "$VENV/bin/pip" install --disable-pip-version-check -q "apache-flink==$FLINK_VERSION" >&2
    "$PY" -c 'import pyflink' >/dev/null
fi
INSTALLED="$("$PY" -c 'import importlib.metadata as m; print(m.version("apache-flink"))')"
if [ "$INSTALLED" != "$FLINK_VERSION" ]; then
    log "warning: $VENV has apache-flink $INSTALLED, not $FLINK_VERSION"
fi

# ---------------------------------------------------------------- fixture jar
PYFLINK_DIR="$("$PY" -c 'import os, pyflink; print(os.path.dirname(os.path.abspath(pyflink.__file__)))')"
SRC="$HERE/fixture"
if [ ! -f "$JAR" ] || [ -n "$(find "$SRC" "$HERE/install.sh" -type f -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    BUILD="$(mktemp -d)"
    trap 'rm -rf "$BUILD"' EXIT
    mkdir -p "$BUILD/classes"
    find "$SRC/src" -name '*.java' > "$BUILD/sources.txt"
    javac --release 17 -encoding UTF-8 -nowarn \
        -cp "$PYFLINK_DIR/lib/*:$PYFLINK_DIR/opt/*" \
        -d "$BUILD/classes" @"$BUILD/sources.txt" >&2
    cp -r "$SRC/resources/." "$BUILD/classes/"
    jar cf "$BUILD/fixture.jar" -C "$BUILD/classes" . >&2
    mkdir -p "$FLINK_HOME_DIR"
    mv -f "$BUILD/fixture.jar" "$JAR"
else
    log "fixture up to date: $JAR"
fi

echo "$PY"
