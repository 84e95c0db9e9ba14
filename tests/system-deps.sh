#!/bin/sh
# Debian packages the integration tests run for real (see tests/servers/).
# `make test` calls this: what is missing is installed when we can (root, apt);
# elsewhere the tests that need it are skipped with a loud reason, and under
# CI=true they fail instead.
set -eu
need=""
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have dovecot || need="$need dovecot-imapd"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing for the integration tests:$need"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086  # a list of package names
    apt-get install -y -qq --no-install-recommends $need >/dev/null
else
    echo "WARNING: not installed:$need; the tests that need them will be skipped" >&2
fi
