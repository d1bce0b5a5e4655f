#!/usr/bin/env bash
# Run before the tests (npm's pretest): the browser tests drive Debian's Chromium at
# /usr/bin/chromium through playwright-core, which downloads no browser of its own; the archive
# tests check packages with the xmllint command too (Debian's libxml2-utils), as an independent
# validator beside the one built in.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} for the tests…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "The tests need Debian's ${missing[*]} (Chromium at /usr/bin/chromium, the xmllint command): run 'sudo apt-get install ${missing[*]}' and try again." >&2
exit 1
