#!/bin/sh
# Debian packages the integration tests run for real (see tests/servers/).
# `make test` calls this: what is missing is installed when we can (root, apt);
# elsewhere the tests that need it are skipped with a loud reason, and under
# CI=true they fail instead.
set -eu
need=""
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have dovecot || need="$need dovecot-imapd"
# the feed tests read feeds with ical.js (node; npm installs it into tests/clients)
# and with libical, through the system Python's GObject introspection
have node || need="$need nodejs"
have npm || need="$need npm"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import gi' 2>/dev/null || need="$need python3-gi"
ls /usr/lib/*/girepository-1.0/ICalGLib-3.0.typelib >/dev/null 2>&1 || need="$need gir1.2-ical-3.0"
# the schedule pages' browser tests (tests/publish/test_pages.py): Debian's chromium and its chromedriver
have chromium || need="$need chromium"
have chromedriver || need="$need chromium-driver"
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
