#!/bin/sh
# One command from a fresh Debian 12 machine to a working nodus with the
# current LTS release installed:
#   ./setup.sh            installs into ~/.local (PREFIX=/usr/local ./setup.sh to change)
# It installs the packages in .ci/packages (apt-get, with sudo when not
# root: what building and `make check` need), builds, runs `make install`,
# installs the LTS and makes it the default. A step that fails does not
# stop the rest when the rest can still work: at the end it says what was
# installed, what failed, and what to do next, and prints the line for the
# shell's startup file. Exit status: 0 when every step worked, else 1.
set -u
cd "$(dirname "$0")"
PREFIX=${PREFIX:-$HOME/.local}
NODUS=$PREFIX/bin/nodus
DONE= FAILED= NEXT=

say() { echo "nodus setup: $*" >&2; }
ok() { DONE="$DONE  - $1
"; }
failed() {
    FAILED="$FAILED  - $1
"
    NEXT="$NEXT  - $2
"
}

say "installing the packages in .ci/packages (apt-get)..."
if .ci/install-packages; then
    ok "the build and test packages listed in .ci/packages"
else
    failed "apt-get could not install the packages in .ci/packages" \
        "check the network or apt's proxy (Acquire::http::Proxy in /etc/apt/apt.conf.d/), then run ./setup.sh again"
fi

built=0
say "building and installing into $PREFIX..."
if make -s && make -s install PREFIX="$PREFIX"; then
    built=1
    ok "nodus in $PREFIX (bin/nodus, libexec/nodus/, the man page, completions)"
else
    failed "building or installing nodus (the messages above say why)" \
        "install what the build asked for (sudo apt-get install \$(sed 's/#.*//' .ci/packages)), then run ./setup.sh again"
fi

if [ "$built" = 1 ]; then
    say "installing the current LTS release of Node.js..."
    if "$NODUS" install --lts; then
        ok "the current LTS release of Node.js"
        if "$NODUS" default 'lts/*'; then
            ok "the default: lts/* (the newest LTS installed)"
        else
            failed "setting the default" "run: $NODUS default 'lts/*'"
        fi
    else
        failed "installing Node.js (the message above says why: no network, a proxy or a firewall?)" \
            "retry: $NODUS install --lts && $NODUS default 'lts/*'
    behind a proxy: export https_proxy=http://PROXY:PORT (curl's variables), then retry
    with a mirror: export NODUS_MIRROR=https://MIRROR/dist (add NODUS_ALLOW_UNSIGNED=1 only if it publishes no signatures), then retry
    see 'Mirrors and offline use' in README.md"
    fi
    # Written now so that the startup file can source it (no process at
    # every shell start); nodus rewrites it whenever nodus changes.
    for sh in bash zsh fish; do "$NODUS" init "$sh" >/dev/null || true; done
fi

DATA=${NODUS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/nodus}
{
    echo
    [ -z "$DONE" ] || printf 'installed:\n%s' "$DONE"
    [ -z "$FAILED" ] || printf 'failed:\n%s\nnext steps:\n%s' "$FAILED" "$NEXT"
    cat <<MSG

Add this line to ~/.bashrc (zsh: ~/.zshrc with init.zsh), then open a new shell:

    . "$DATA/init.bash"

(or, equivalently but starting a process at each shell start: eval "\$($NODUS init bash)")
for fish, add to ~/.config/fish/config.fish:   source "$DATA/init.fish"
then:  node --version ; nodus current ; nodus doctor ; nodus help
MSG
} >&2
[ -z "$FAILED" ]
