#!/bin/sh
# Make throwaway OpenPGP test material with gpg, for tests only (nodus itself
# never runs gpg). Every key lives in a temporary GNUPGHOME that is removed on
# exit, so nothing touches the user's keyring.
#
#   mkpgp.sh OUTDIR
#
# Writes into OUTDIR:
#   rsa.pub.asc  ed.pub.asc  sub.pub.asc  sub.pub.gpg   public keys (rsa3072;
#                       ed25519 primary; ed25519 cert-only primary with an
#                       ed25519 signing subkey; the last also binary)
#   fpr.rsa fpr.ed fpr.sub fpr.sub-signing      fingerprints (40 hex)
#   SHASUMS256.txt                              sample text with lines that
#                                               need dash-escaping
#   SHASUMS256.txt.tampered                     one byte changed
#   {rsa,ed,sub}.sig   binary detached signatures (type 0x00, SHA-256)
#   {rsa,ed,sub}.asc   clearsigned SHASUMS256.txt
#   sub.tampered.asc   sub.asc with one byte of the text changed
#   rsa.sig.asc        armored detached signature
#   rsa-sha1.sig rsa-sha224.sig rsa-sha384.sig rsa-sha512.sig  digests
#   ws.txt ws.expected ws.asc     clearsigned text with trailing blanks and
#                                 CRLF; ws.expected is what the signature covers
#   ws-text.sig                   detached text-mode (type 0x01) signature of ws.txt
set -eu

out=${1:?usage: mkpgp.sh OUTDIR}
mkdir -p "$out"
GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/nodus-gpg.XXXXXX")
export GNUPGHOME
cleanup() {
    gpgconf --kill gpg-agent >/dev/null 2>&1 || true
    rm -rf "$GNUPGHOME"
}
trap cleanup EXIT INT TERM

g() {
    gpg --batch --quiet --no-tty --no-auto-check-trustdb --pinentry-mode loopback --passphrase '' "$@"
}

# The fingerprint of the key (or, with "sub", the last subkey) for an address.
fpr_of() {
    gpg --batch --quiet --no-auto-check-trustdb --with-colons --list-keys "$1" |
        awk -F: -v want="$2" '$1 == "pub" { k = "pub" } $1 == "sub" { k = "sub" }
                              $1 == "fpr" && k == want { f = $10 } END { print f }'
}

g --quick-gen-key 'Nodus Test RSA <rsa@nodus.invalid>' rsa3072 sign never
g --quick-gen-key 'Nodus Test Ed25519 <ed@nodus.invalid>' ed25519 sign never
g --quick-gen-key 'Nodus Test Subkey <sub@nodus.invalid>' ed25519 cert never
RSA=$(fpr_of rsa@nodus.invalid pub)
ED=$(fpr_of ed@nodus.invalid pub)
SUB=$(fpr_of sub@nodus.invalid pub)
g --quick-add-key "$SUB" ed25519 sign never
SUBSIG=$(fpr_of sub@nodus.invalid sub)

printf '%s\n' "$RSA" >"$out/fpr.rsa"
printf '%s\n' "$ED" >"$out/fpr.ed"
printf '%s\n' "$SUB" >"$out/fpr.sub"
printf '%s\n' "$SUBSIG" >"$out/fpr.sub-signing"
g --armor --export "$RSA" >"$out/rsa.pub.asc"
g --armor --export "$ED" >"$out/ed.pub.asc"
g --armor --export "$SUB" >"$out/sub.pub.asc"
g --export "$SUB" >"$out/sub.pub.gpg"

cat >"$out/SHASUMS256.txt" <<'EOF'
0c0c2b9aa9fd6e2bbb8baf0a2c7d5fb9a4b6e1e0c2b4ec2f7f6c0a3e8b2e1d4a  node-v99.0.0-darwin-arm64.tar.gz
1d1d3c0bb0ae7f3ccc9cb01b3d8e6ac0b5c7f2f1d3c5fd3a8a7d1b4f9c3f2e5b  node-v99.0.0-linux-x64.tar.xz
- a line that starts with a dash
-----BEGIN PGP SIGNATURE----- is only text here
2e2e4d1cc1bf8a4ddd0dc12c4e9f7bd1c6d8a3a2e4d6ae4b9b8e2c5a0d4a3f6c  node-v99.0.0-win-x64.zip
EOF
sed '1s/0c0c/0c0d/' "$out/SHASUMS256.txt" >"$out/SHASUMS256.txt.tampered"

for k in rsa ed sub; do
    case $k in
    rsa) id=$RSA! ;;
    ed) id=$ED! ;;
    sub) id=$SUBSIG! ;;
    esac
    g -u "$id" --digest-algo SHA256 --detach-sign -o "$out/$k.sig" "$out/SHASUMS256.txt"
    g -u "$id" --digest-algo SHA256 --clearsign -o "$out/$k.asc" "$out/SHASUMS256.txt"
done
sed 's/^1d1d3c0b/1d1d3c0c/' "$out/sub.asc" >"$out/sub.tampered.asc"
g -u "$RSA!" --armor --detach-sign -o "$out/rsa.sig.asc" "$out/SHASUMS256.txt"
for h in SHA1 SHA224 SHA384 SHA512; do
    lower=$(printf '%s' "$h" | tr 'A-Z' 'a-z')
    g -u "$RSA!" --digest-algo "$h" --detach-sign -o "$out/rsa-$lower.sig" "$out/SHASUMS256.txt"
done

# Trailing blanks are not signed in cleartext; CRLF is the same as LF.
printf 'first line   \r\nsecond\t\r\n\r\nlast line\r\n' >"$out/ws.txt"
printf 'first line\nsecond\n\nlast line\n' >"$out/ws.expected"
g -u "$ED!" --clearsign -o "$out/ws.asc" "$out/ws.txt"
g -u "$ED!" --textmode --detach-sign -o "$out/ws-text.sig" "$out/ws.txt"
