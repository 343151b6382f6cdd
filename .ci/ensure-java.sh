#!/usr/bin/env bash
# A Java runtime (17+) for the Spark engine's tests (pyspark starts a local JVM). Debian's default-jre-headless.
set -euo pipefail
if command -v java >/dev/null || { [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; }; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's Java runtime for the Spark tests…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
else
  echo "Note: java is missing and cannot be installed here (needs root); the Spark tests will be skipped." >&2
fi
