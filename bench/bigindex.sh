#!/bin/sh
# bench/bigindex.sh [BUILD] [MIB]: peak memory and time of the commands
# that read the release index, with an index of MIB MiB (63 by default,
# under the 64 MiB cap) from bench/bigindex.py, served by tests/lib/mirror.py
# on 127.0.0.1. Needs GNU time (/usr/bin/time, Debian package "time").
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
mib=${2:-63}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/mirror" "$work/home"
src=$(mktemp -d)
python3 "$here/tests/lib/mkmirror.py" "$src" --versions v22.11.0 --platforms linux-x64 >/dev/null
python3 "$here/bench/bigindex.py" "$src/index.json" "$work/mirror/index.json" "$mib"
rm -rf "$src"
python3 "$here/tests/lib/mirror.py" --root "$work/mirror" --port-file "$work/port" --exit-with-pid $$ &
pid=$!
while [ ! -s "$work/port" ]; do sleep 0.1; done
export HOME="$work/home" NODUS_HOME="$work/home/nodus" XDG_CACHE_HOME="$work/home/cache" \
    XDG_CONFIG_HOME="$work/home/config" NODUS_MIRROR="http://127.0.0.1:$(cat "$work/port")" \
    NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
measure() {
    /usr/bin/time -f '%e s wall, %U s user + %S s sys, %M KiB peak' -o "$work/t" "$@" >/dev/null 2>"$work/err" || {
        echo "failed: $*" >&2
        cat "$work/err" >&2
    }
    printf "%-40s %s\n" "${*#"$build/"}" "$(tail -1 "$work/t")"
}
cd "$work"
measure "$build/nodus" ls-remote 22 # the first: fetch, parse, cache
measure "$build/nodus" ls-remote 22 # cached
measure "$build/nodus" ls-remote --lts
measure "$build/nodus" --json ls-remote 22
