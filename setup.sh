#!/bin/sh
# One command from a fresh Debian 12 machine to a working nodus with the
# current LTS release installed:
#   ./setup.sh            installs into ~/.local (PREFIX=/usr/local ./setup.sh to change)
# It installs the build dependencies (apt-get, with sudo when not root),
# builds, runs `make install`, installs the LTS and makes it the default.
set -eu
cd "$(dirname "$0")"
PREFIX=${PREFIX:-$HOME/.local}

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "nodus setup: installing build dependencies (apt-get)..." >&2
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    build-essential pkg-config ca-certificates \
    libcurl4-openssl-dev libarchive-dev libssl-dev libyaml-dev libjansson-dev >/dev/null

echo "nodus setup: building and installing into $PREFIX..." >&2
make -s
make -s install PREFIX="$PREFIX"

NODUS=$PREFIX/bin/nodus
echo "nodus setup: installing the current LTS release of Node.js..." >&2
"$NODUS" install --lts
"$NODUS" default lts/*

cat >&2 <<MSG

nodus is installed. Add this line to ~/.bashrc (or ~/.zshrc), then open a new shell:

    eval "\$($NODUS init bash)"

for fish, add to ~/.config/fish/config.fish:   $NODUS init fish | source
then:  node --version ; nodus current ; nodus help
MSG
