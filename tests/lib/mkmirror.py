#!/usr/bin/env python3
"""Build a small Node.js download mirror for the nodus end-to-end tests.

    mkmirror.py OUTDIR [--versions v22.11.0,v20.18.0,...] [--evil]
                       [--platforms linux-x64,...] [--pad BYTES]

OUTDIR gets the layout of https://nodejs.org/dist:

    index.json, index.tab             the real release index (from
                                      tests/fixtures/nodejs-dist-index.tab)
    vX.Y.Z/node-vX.Y.Z-<plat>.tar.xz  a fake release (sh script as bin/node,
    vX.Y.Z/node-vX.Y.Z-<plat>.tar.gz  python fake npm/npx, sh fake corepack)
    vX.Y.Z/node-vX.Y.Z-headers.tar.*  headers only
    vX.Y.Z/SHASUMS256.txt             "<sha256>  <file>" lines, sorted

Versions named with --versions that the real index lacks get a made-up row
(lts false), so a test can ask for e.g. v25.0.0 (which has no corepack).

--evil adds hostile releases, each with its own major so a test can install
it by number.  Their rows are put at the top of index.json, so with --evil
"latest" means v98.0.0: tests using --evil should install by exact version.

    v98.0.0  listed in the index, SHASUMS256.txt present, tarballs missing (404)
    v97.0.0  SHASUMS256.txt lines for the tarballs are malformed
             (.tar.xz: 63 hex digits; .tar.gz: a non-hex character)
    v96.0.0  SHASUMS256.txt has no line for the tarballs, only near misses
             with the right digest: "<name>.bak" and "archive/<name>"
    v95.0.0  served tarballs have 16 bytes flipped in the middle;
             SHASUMS256.txt has the digest of the good bytes
    v94.0.0  hard link entry <top>/bin/evil -> /etc/passwd
    v93.0.0  symlink entry <top>/bin/evil -> /etc/passwd
    v92.0.0  entry with an absolute path: /tmp/nodus-evil-abs
    v91.0.0  entry <top>/../../evil
    v90.0.0  a FIFO <top>/bin/evil-fifo and a char device <top>/bin/evil-dev (1,3)
    v89.0.0  symlink <top>/escape -> /tmp, then a file <top>/escape/nodus-evil-v89
             (written through the symlink if the extractor follows it)
    v88.0.0  served tarballs are valid archives, but not the ones whose
             digests SHASUMS256.txt lists (bin/node prints "v88.0.0-evil")

--hostile adds releases v69-v79 that go one step further (links through
links, bombs, modes); like --evil, they are at the top of index.json:

    v79.0.0  symlink <top>/a/b/c/up -> ../../.., then <top>/esc ->
             a/b/c/up/../../../etc/hostname (lexically inside, really outside)
    v78.0.0  the same two links in the other order (esc first)
    v77.0.0  symlink <top>/lib/x/y/deep -> ../../../README.md, then a hard
             link <top>/esc to it (a symlink that lands two levels higher)
    v76.0.0  hard link <top>/bin/dirlink to the directory <top>/lib
    v75.0.0  modes: bin/ww 0777, lib/gw 0664, share/open/ 01777, bin/suid
             04755 (installs; nothing group/world-writable may stay)
    v74.0.0  a 16 MiB file of zeros (lib/bomb.bin) added; SHASUMS256.txt has
             the digest of the release without it
    v73.0.0  the same bomb, with its own (right) digest
    v72.0.0  3000 empty files lib/many/fNNNN (right digest)
    v71.0.0  a directory entry <top>/.nodus-meta/ (right digest)
    v70.0.0  read-only directories: lib/ro/ and lib/ro/sub/ 0555, with files
             (right digest; installs)
    v69.0.0  a directory <top>/p/q/ and a symlink <top>/esc -> p/q/../../x,
             then <top>/p/q replaced by a symlink p/q -> . (right digest)

Every evil archive is a complete, otherwise normal release; the hostile
entries come last, so a careless extractor has already written most of the
tree when it meets them.  Apart from v95-v98, SHASUMS256.txt lines are right,
so a failure can only come from the entry policy.

Output is deterministic (fixed mtimes, owners 0, sorted entries, gzip and xz
without timestamps), so digests are stable from run to run.
"""

import argparse
import gzip
import hashlib
import io
import json
import lzma
import os
import re
import sys
import tarfile
import time
import calendar

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TAB = os.path.join(HERE, "..", "fixtures", "nodejs-dist-index.tab")
DEFAULT_VERSIONS = ["v23.1.0", "v23.0.0", "v22.11.0", "v22.10.0",
                    "v20.18.0", "v20.17.0", "v18.20.4"]
DEFAULT_PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"]
TAB_FIELDS = ["version", "date", "files", "npm", "v8", "uv", "zlib",
              "openssl", "modules", "lts", "security"]
EVIL_DATE = "2024-12-01"
COREPACK_VERSION = "0.29.4"

EVIL = {
    "v98.0.0": "missing-tarball",
    "v97.0.0": "malformed-shasums",
    "v96.0.0": "no-shasums-line",
    "v95.0.0": "corrupt-bytes",
    "v94.0.0": "hardlink-outside",
    "v93.0.0": "symlink-outside",
    "v92.0.0": "absolute-path",
    "v91.0.0": "dotdot-path",
    "v90.0.0": "special-files",
    "v89.0.0": "write-through-symlink",
    "v88.0.0": "substituted-tarball",
}

HOSTILE = {
    "v79.0.0": "link-through-link",
    "v78.0.0": "link-through-link-reversed",
    "v77.0.0": "hardlink-to-symlink",
    "v76.0.0": "hardlink-to-dir",
    "v75.0.0": "loose-modes",
    "v74.0.0": "bomb-original-digest",
    "v73.0.0": "bomb",
    "v72.0.0": "many-entries",
    "v71.0.0": "meta-dir",
    "v70.0.0": "read-only-dirs",
    "v69.0.0": "dir-replaced-by-symlink",
}
BOMB_SIZE = 16 << 20


def die(msg):
    sys.stderr.write("mkmirror: %s\n" % msg)
    sys.exit(2)


def vkey(version):
    m = re.match(r"^v(\d+)\.(\d+)\.(\d+)$", version)
    if not m:
        die("not a plain version: %s" % version)
    return tuple(int(x) for x in m.groups())


def date_epoch(date):
    return calendar.timegm(time.strptime(date, "%Y-%m-%d"))


# ---------------------------------------------------------------- the index

def read_tab(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = lines[0].split("\t")
    if header != TAB_FIELDS:
        die("%s: unexpected header %r" % (path, header))
    rows = []
    for line in lines[1:]:
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != len(TAB_FIELDS):
            die("%s: bad row %r" % (path, line))
        rows.append(dict(zip(TAB_FIELDS, cells)))
    return lines[0], rows


def json_row(row):
    """One index.json object, keys in the order the live file has them."""
    out = {"version": row["version"], "date": row["date"],
           "files": row["files"].split(",") if row["files"] != "-" else []}
    for key in ("npm", "v8", "uv", "zlib", "openssl", "modules"):
        if row[key] != "-":
            out[key] = row[key]
    out["lts"] = False if row["lts"] == "-" else row["lts"]
    out["security"] = row["security"] == "true"
    return out


def write_index(outdir, header, rows):
    body = ",\n".join(json.dumps(json_row(r), separators=(",", ":"))
                      for r in rows)
    write_file(os.path.join(outdir, "index.json"), ("[\n" + body + "\n]\n").encode())
    tab = [header] + ["\t".join(r[k] for k in TAB_FIELDS) for r in rows]
    write_file(os.path.join(outdir, "index.tab"), ("\n".join(tab) + "\n").encode())


def synth_row(version, template):
    row = dict(template)
    row["version"] = version
    row["lts"] = "-"
    row["security"] = "-"
    return row


# ------------------------------------------------------------ fake programs

FAKE_NODE = r'''#!/bin/sh
# Fake node for the nodus tests: a shell script, not Node.js.
#   node -v | --version          prints the version
#   node -p EXPR, node -e 'console.log(EXPR)'
#       EXPR: process.version, process.versions.node, process.execPath,
#             process.platform, process.arch, process.env.NAME
#   node -e 'process.exit(N)'    exits with N
#   node .../npm-cli.js ARGS     (also npx-cli.js, corepack.js) runs that script
#   anything else                prints "node @VERSION@ ARGS..."
NODE_VERSION=@VERSION@

generic() {
    printf 'node %s' "$NODE_VERSION"
    for a in "$@"; do printf ' %s' "$a"; done
    printf '\n'
    exit 0
}

exec_path() {
    p=$0
    case $p in */*) ;; *) p=$(command -v -- "$p") ;; esac
    readlink -f -- "$p" 2>/dev/null || printf '%s\n' "$p"
}

value() {
    case $1 in
    process.version) printf '%s\n' "$NODE_VERSION" ;;
    process.versions.node) printf '%s\n' "${NODE_VERSION#v}" ;;
    process.execPath) exec_path ;;
    process.platform) printf '%s\n' @PLATFORM@ ;;
    process.arch) printf '%s\n' @ARCH@ ;;
    process.env.*)
        name=${1#process.env.}
        case $name in ''|[0-9]*|*[!A-Za-z0-9_]*) return 1 ;; esac
        eval "if [ \"\${$name+set}\" = set ]; then printf '%s\n' \"\$$name\"; else echo undefined; fi"
        ;;
    *) return 1 ;;
    esac
}

case ${1-} in
-v|--version)
    printf '%s\n' "$NODE_VERSION"
    exit 0
    ;;
-p|--print)
    [ $# -ge 2 ] || generic "$@"
    value "$2" || generic "$@"
    exit 0
    ;;
-e|--eval)
    [ $# -ge 2 ] || generic "$@"
    expr=$2
    case $expr in
    'process.exit('*')'|'process.exit('*');')
        code=${expr#process.exit(}
        code=${code%;}
        code=${code%)}
        case $code in ''|*[!0-9]*) generic "$@" ;; esac
        exit "$code"
        ;;
    'console.log('*')'|'console.log('*');')
        inner=${expr#console.log(}
        inner=${inner%;}
        inner=${inner%)}
        value "$inner" || generic "$@"
        exit 0
        ;;
    esac
    generic "$@"
    ;;
esac

if [ $# -ge 1 ] && [ -f "$1" ]; then
    real=$(readlink -f -- "$1" 2>/dev/null || printf '%s' "$1")
    case $real in
    */npm-cli.js|*/npx-cli.js|*/corepack.js)
        shift
        exec "$real" "$@"
        ;;
    esac
fi
generic "$@"
'''

# The fake npm and npx are one Python program that looks at its own name.
FAKE_NPM = r'''#!/usr/bin/env python3
# Fake npm / npx for the nodus tests.
#   npm -v | --version            the npm version of this release
#   npm prefix -g | root -g | ls -g
#   npm install -g DIR...         copy DIR to PREFIX/lib/node_modules/NAME and
#                                 link PREFIX/bin/BIN -> ../lib/node_modules/NAME/PATH
#   npm install -g NAME@VERSION   the same from $FAKE_NPM_REGISTRY/NAME@VERSION
#                                 (a scoped name's '/' spelled '+'), else 404
#   npm uninstall -g NAME...      undo that
#   npm run SCRIPT | test | start runs ./package.json's script with /bin/sh,
#                                 ./node_modules/.bin first on PATH (nothing else)
#   npx -v | --version            the npm version
# PREFIX is this release's directory, found from this file's resolved path
# ($npm_config_prefix / $NPM_CONFIG_PREFIX override it, like real npm).
import json
import os
import shutil
import subprocess
import sys

NPM_VERSION = "@NPM_VERSION@"
NODE_VERSION = "@VERSION@"
SELF = os.path.realpath(__file__)
# SELF is PREFIX/lib/node_modules/npm/bin/<name>
PREFIX = SELF
for _ in range(5):
    PREFIX = os.path.dirname(PREFIX)
PREFIX = (os.environ.get("npm_config_prefix")
          or os.environ.get("NPM_CONFIG_PREFIX") or PREFIX)
MODULES = os.path.join(PREFIX, "lib", "node_modules")
BINDIR = os.path.join(PREFIX, "bin")


def fail(msg):
    sys.stderr.write("npm error " + msg + "\n")
    sys.exit(1)


def remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def bins_of(pkg, name):
    b = pkg.get("bin")
    if isinstance(b, str):
        return {name.split("/")[-1]: b}
    if isinstance(b, dict):
        return b
    return {}


def install(src):
    reg = os.environ.get("FAKE_NPM_REGISTRY")
    if not os.path.isdir(src) and reg and "@" in src[1:]:
        local = os.path.join(reg, src.replace("/", "+"))
        if not os.path.isdir(local):
            fail("404 Not Found - GET %s - Not found" % src)
        src = local
    src = os.path.abspath(src)
    try:
        with open(os.path.join(src, "package.json"), encoding="utf-8") as f:
            pkg = json.load(f)
    except (OSError, ValueError) as e:
        fail("fake npm installs only local package directories: %s: %s" % (src, e))
    name = pkg.get("name")
    if not isinstance(name, str) or not name or ".." in name.split("/"):
        fail("%s: package.json has no usable name" % src)
    dest = os.path.join(MODULES, name)
    remove(dest)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copytree(src, dest, symlinks=True)
    os.makedirs(BINDIR, exist_ok=True)
    for bname, rel in sorted(bins_of(pkg, name).items()):
        rel = os.path.normpath(rel)
        if "/" in bname or bname in ("", ".", "..") or rel.startswith(".."):
            fail("%s: bad bin entry %r" % (name, bname))
        target = os.path.join(dest, rel)
        if os.path.isfile(target):
            os.chmod(target, os.stat(target).st_mode | 0o111)
        link = os.path.join(BINDIR, bname)
        if os.path.lexists(link):
            remove(link)
        os.symlink(os.path.join("..", "lib", "node_modules", name, rel), link)
    print("added 1 package in 10ms")


def uninstall(name):
    dest = os.path.join(MODULES, name)
    if not os.path.isdir(dest):
        print("up to date in 10ms")
        return
    marker = os.path.join("..", "lib", "node_modules", name) + "/"
    if os.path.isdir(BINDIR):
        for entry in sorted(os.listdir(BINDIR)):
            link = os.path.join(BINDIR, entry)
            if os.path.islink(link) and os.readlink(link).startswith(marker):
                os.unlink(link)
    remove(dest)
    if "/" in name:
        try:
            os.rmdir(os.path.dirname(dest))
        except OSError:
            pass
    print("removed 1 package in 10ms")


def list_global():
    print(MODULES)
    if not os.path.isdir(MODULES):
        return
    names = []
    for entry in sorted(os.listdir(MODULES)):
        if entry.startswith("@"):
            for sub in sorted(os.listdir(os.path.join(MODULES, entry))):
                names.append(entry + "/" + sub)
        else:
            names.append(entry)
    for name in names:
        try:
            with open(os.path.join(MODULES, name, "package.json"), encoding="utf-8") as f:
                version = json.load(f).get("version", "0.0.0")
        except (OSError, ValueError):
            version = "0.0.0"
        print("+-- %s@%s" % (name, version))


def run_script(script):
    try:
        with open("package.json", encoding="utf-8") as f:
            scripts = json.load(f).get("scripts") or {}
    except (OSError, ValueError) as e:
        fail("no usable package.json here: %s" % e)
    if script not in scripts:
        fail('Missing script: "%s"' % script)
    env = dict(os.environ)
    env["PATH"] = os.path.abspath(os.path.join("node_modules", ".bin")) + \
        os.pathsep + env.get("PATH", "")
    env["npm_lifecycle_event"] = script
    sys.stdout.flush()
    sys.exit(subprocess.call(["/bin/sh", "-c", scripts[script]], env=env))


def npm(args):
    glob = False
    rest = []
    for a in args:
        if a in ("-g", "--global", "--location=global"):
            glob = True
        else:
            rest.append(a)
    if not rest or rest[0] in ("-v", "--version"):
        if not rest:
            fail("fake npm: no command")
        print(NPM_VERSION)
        return
    cmd, operands = rest[0], rest[1:]
    if cmd == "prefix":
        print(PREFIX if glob else os.getcwd())
    elif cmd == "root":
        print(MODULES if glob else os.path.join(os.getcwd(), "node_modules"))
    elif cmd in ("ls", "list"):
        list_global()
    elif cmd in ("install", "i", "add", "isntall"):
        if not glob:
            fail("fake npm supports only global installs (-g)")
        if not operands:
            fail("fake npm: install what?")
        for src in operands:
            install(src)
    elif cmd in ("uninstall", "un", "unlink", "remove", "rm", "r"):
        if not glob:
            fail("fake npm supports only global uninstalls (-g)")
        for name in operands:
            uninstall(name)
    elif cmd in ("run", "run-script"):
        if not operands:
            fail("fake npm: run what?")
        run_script(operands[0])
    elif cmd in ("test", "t", "start"):
        run_script("test" if cmd == "t" else cmd)
    else:
        print("npm %s %s" % (NPM_VERSION, " ".join(args)))


def npx(args):
    if args and args[0] in ("-v", "--version"):
        print(NPM_VERSION)
    else:
        print("npx %s %s" % (NPM_VERSION, " ".join(args)))


if __name__ == "__main__":
    if os.path.basename(SELF).startswith("npx"):
        npx(sys.argv[1:])
    else:
        npm(sys.argv[1:])
'''

FAKE_COREPACK = r'''#!/bin/sh
# Fake corepack for the nodus tests.
case ${1-} in
-v|--version) echo @COREPACK_VERSION@ ;;
*) printf 'corepack @COREPACK_VERSION@'; for a in "$@"; do printf ' %s' "$a"; done; printf '\n' ;;
esac
'''


def fill(template, **values):
    out = template
    for key, val in values.items():
        out = out.replace("@%s@" % key, val)
    return out


# ---------------------------------------------------------------- archives

class Tree:
    """Tar entries built in memory, written in `tar --sort=name` order."""

    def __init__(self, mtime):
        self.mtime = mtime
        self.entries = {}       # path -> TarInfo (+ data)
        self.tail = []          # hostile entries, appended after the tree

    def _info(self, name, kind, mode):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.mode = mode
        ti.mtime = self.mtime
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = "root"
        return ti

    def _parents(self, path):
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self.entries:
                self.entries[d] = (self._info(d, tarfile.DIRTYPE, 0o755), None)

    def file(self, path, data, mode=0o644):
        if isinstance(data, str):
            data = data.encode()
        self._parents(path)
        ti = self._info(path, tarfile.REGTYPE, mode)
        ti.size = len(data)
        self.entries[path] = (ti, data)

    def symlink(self, path, target):
        self._parents(path)
        ti = self._info(path, tarfile.SYMTYPE, 0o777)
        ti.linkname = target
        self.entries[path] = (ti, None)

    def raw(self, name, kind, mode=0o644, data=b"", linkname="", dev=(0, 0)):
        ti = self._info(name, kind, mode)
        ti.linkname = linkname
        ti.devmajor, ti.devminor = dev
        if kind == tarfile.REGTYPE:
            ti.size = len(data)
        self.tail.append((ti, data if kind == tarfile.REGTYPE else None))

    def tar_bytes(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
            # Sorting the path component lists puts every directory right
            # before its contents, like GNU tar with --sort=name.
            for path in sorted(self.entries, key=lambda p: p.split("/")):
                ti, data = self.entries[path]
                if ti.type == tarfile.DIRTYPE:
                    ti.name = path + "/"
                tf.addfile(ti, io.BytesIO(data) if data is not None else None)
            for ti, data in self.tail:
                tf.addfile(ti, io.BytesIO(data) if data is not None else None)
        return buf.getvalue()


def compress(raw, ext):
    if ext == "tar.gz":
        return gzip.compress(raw, compresslevel=6, mtime=0)
    return lzma.compress(raw, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64,
                         preset=6)


def padding(seed, size):
    if size <= 0:
        return b""
    return hashlib.shake_256(seed.encode()).digest(size)


def release_tree(version, row, platform, pad, mtime, substituted=False):
    major = vkey(version)[0]
    top = "node-%s-%s" % (version, platform)
    os_name, arch = platform.split("-", 1)
    npm_version = row["npm"] if row["npm"] != "-" else "0.0.0"
    shown = version + ("-evil" if substituted else "")
    t = Tree(mtime)
    t.file(top + "/bin/node",
           fill(FAKE_NODE, VERSION=shown, PLATFORM=os_name, ARCH=arch), 0o755)
    t.symlink(top + "/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
    t.symlink(top + "/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js")
    npm_script = fill(FAKE_NPM, NPM_VERSION=npm_version, VERSION=version)
    t.file(top + "/lib/node_modules/npm/bin/npm-cli.js", npm_script, 0o755)
    t.file(top + "/lib/node_modules/npm/bin/npx-cli.js", npm_script, 0o755)
    t.file(top + "/lib/node_modules/npm/package.json", json.dumps(
        {"name": "npm", "version": npm_version,
         "bin": {"npm": "bin/npm-cli.js", "npx": "bin/npx-cli.js"}},
        indent=2) + "\n")
    if major < 25:
        t.symlink(top + "/bin/corepack", "../lib/node_modules/corepack/dist/corepack.js")
        t.file(top + "/lib/node_modules/corepack/dist/corepack.js",
               fill(FAKE_COREPACK, COREPACK_VERSION=COREPACK_VERSION), 0o755)
        t.file(top + "/lib/node_modules/corepack/package.json", json.dumps(
            {"name": "corepack", "version": COREPACK_VERSION,
             "bin": {"corepack": "dist/corepack.js"}}, indent=2) + "\n")
    if pad:
        t.file(top + "/lib/padding.bin", padding(top, pad))
    x, y, z = vkey(version)
    t.file(top + "/include/node/node.h",
           "/* Fake node.h for the nodus tests. */\n"
           "#define NODE_MAJOR_VERSION %d\n#define NODE_MINOR_VERSION %d\n"
           "#define NODE_PATCH_VERSION %d\n" % (x, y, z))
    t.file(top + "/share/doc/node/README",
           "Fake Node.js %s (%s) built by tests/lib/mkmirror.py.\n" % (version, platform))
    t.file(top + "/CHANGELOG.md", "# Node.js %s\n\nNothing changed; this is a test fixture.\n" % version)
    t.file(top + "/LICENSE", "Test fixture for nodus; not Node.js. No rights reserved.\n")
    t.file(top + "/README.md",
           "# Node.js %s\n\nA fake release for the nodus end-to-end tests.\n%s"
           % (version, "This is a substituted tarball.\n" if substituted else ""))
    return t, top


def headers_tree(version, mtime):
    t = Tree(mtime)
    top = "node-%s" % version
    x, y, z = vkey(version)
    t.file(top + "/include/node/node.h",
           "/* Fake node.h for the nodus tests. */\n"
           "#define NODE_MAJOR_VERSION %d\n#define NODE_MINOR_VERSION %d\n"
           "#define NODE_PATCH_VERSION %d\n" % (x, y, z))
    return t


def add_hostile(t, top, kind):
    if kind == "dotdot-path":
        t.raw(top + "/../../evil", tarfile.REGTYPE, data=b"escaped with ../\n")
    elif kind == "absolute-path":
        t.raw("/tmp/nodus-evil-abs", tarfile.REGTYPE, data=b"absolute path\n")
    elif kind == "symlink-outside":
        t.raw(top + "/bin/evil", tarfile.SYMTYPE, mode=0o777, linkname="/etc/passwd")
    elif kind == "hardlink-outside":
        t.raw(top + "/bin/evil", tarfile.LNKTYPE, linkname="/etc/passwd")
    elif kind == "special-files":
        t.raw(top + "/bin/evil-fifo", tarfile.FIFOTYPE)
        t.raw(top + "/bin/evil-dev", tarfile.CHRTYPE, mode=0o666, dev=(1, 3))
    elif kind == "link-through-link":
        t.raw(top + "/a/b/c/up", tarfile.SYMTYPE, mode=0o777, linkname="../../..")
        t.raw(top + "/esc", tarfile.SYMTYPE, mode=0o777, linkname="a/b/c/up/../../../etc/hostname")
    elif kind == "link-through-link-reversed":
        t.raw(top + "/esc", tarfile.SYMTYPE, mode=0o777, linkname="a/b/c/up/../../../etc/hostname")
        t.raw(top + "/a/b/c/up", tarfile.SYMTYPE, mode=0o777, linkname="../../..")
    elif kind == "hardlink-to-symlink":
        t.raw(top + "/lib/x/y/deep", tarfile.SYMTYPE, mode=0o777, linkname="../../../README.md")
        t.raw(top + "/esc", tarfile.LNKTYPE, linkname=top + "/lib/x/y/deep")
    elif kind == "hardlink-to-dir":
        t.raw(top + "/bin/dirlink", tarfile.LNKTYPE, linkname=top + "/lib")
    elif kind == "loose-modes":
        t.raw(top + "/bin/ww", tarfile.REGTYPE, mode=0o777, data=b"#!/bin/sh\necho ww\n")
        t.raw(top + "/lib/gw", tarfile.REGTYPE, mode=0o664, data=b"group-writable\n")
        t.raw(top + "/share/open/", tarfile.DIRTYPE, mode=0o1777)
        t.raw(top + "/share/open/f", tarfile.REGTYPE, mode=0o666, data=b"world-writable\n")
        t.raw(top + "/bin/suid", tarfile.REGTYPE, mode=0o4755, data=b"#!/bin/sh\n")
    elif kind in ("bomb", "bomb-original-digest"):
        t.raw(top + "/lib/bomb.bin", tarfile.REGTYPE, data=bytes(BOMB_SIZE))
    elif kind == "many-entries":
        t.raw(top + "/lib/many/", tarfile.DIRTYPE, mode=0o755)
        for i in range(3000):
            t.raw(top + "/lib/many/f%04d" % i, tarfile.REGTYPE)
    elif kind == "meta-dir":
        t.raw(top + "/.nodus-meta/", tarfile.DIRTYPE, mode=0o755)
    elif kind == "read-only-dirs":
        t.raw(top + "/lib/ro/", tarfile.DIRTYPE, mode=0o755)
        t.raw(top + "/lib/ro/sub/", tarfile.DIRTYPE, mode=0o755)
        t.raw(top + "/lib/ro/sub/f", tarfile.REGTYPE, mode=0o444, data=b"read-only\n")
        t.raw(top + "/lib/ro/g", tarfile.REGTYPE, mode=0o444, data=b"read-only\n")
        # The modes last, as GNU tar's directory entries come first but
        # extractors apply their modes at the end.
        t.raw(top + "/lib/ro/sub/", tarfile.DIRTYPE, mode=0o555)
        t.raw(top + "/lib/ro/", tarfile.DIRTYPE, mode=0o555)
    elif kind == "dir-replaced-by-symlink":
        t.raw(top + "/p/q/", tarfile.DIRTYPE, mode=0o755)
        t.raw(top + "/esc", tarfile.SYMTYPE, mode=0o777, linkname="p/q/../../x")
        t.raw(top + "/p/q", tarfile.SYMTYPE, mode=0o777, linkname=".")
    elif kind == "write-through-symlink":
        t.raw(top + "/escape", tarfile.SYMTYPE, mode=0o777, linkname="/tmp")
        t.raw(top + "/escape/nodus-evil-v89", tarfile.REGTYPE,
              data=b"written through a symlink\n")


# ----------------------------------------------------------------- output

def write_file(path, data, mtime=None):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def build_version(outdir, version, row, platforms, pad, evil_kind):
    vdir = os.path.join(outdir, version)
    os.makedirs(vdir, exist_ok=True)
    mtime = date_epoch(row["date"])
    good = {}      # file name -> bytes whose digest SHASUMS256.txt lists
    served = {}    # file name -> bytes written to disk (None: not written)
    for ext in ("tar.xz", "tar.gz"):
        name = "node-%s-headers.%s" % (version, ext)
        good[name] = served[name] = compress(headers_tree(version, mtime).tar_bytes(), ext)
    for platform in platforms:
        tree, top = release_tree(version, row, platform, pad, mtime)
        if evil_kind:
            add_hostile(tree, top, evil_kind)
        raw = tree.tar_bytes()
        alt = None
        if evil_kind == "substituted-tarball":
            alt = release_tree(version, row, platform, pad, mtime, substituted=True)[0].tar_bytes()
        if evil_kind == "bomb-original-digest":
            # The signed digest is the release's; the bomb is what is served.
            alt, raw = raw, release_tree(version, row, platform, pad, mtime)[0].tar_bytes()
        for ext in ("tar.xz", "tar.gz"):
            name = "%s.%s" % (top, ext)
            data = compress(raw, ext)
            good[name] = data
            if evil_kind == "corrupt-bytes":
                mid = len(data) // 2
                data = data[:mid] + bytes(b ^ 0xFF for b in data[mid:mid + 16]) + data[mid + 16:]
            elif evil_kind in ("substituted-tarball", "bomb-original-digest"):
                data = compress(alt, ext)
            elif evil_kind == "missing-tarball":
                data = None
            served[name] = data

    lines = []
    for name, data in good.items():
        digest = hashlib.sha256(data).hexdigest()
        is_release = not name.startswith("node-%s-headers." % version)
        if evil_kind == "no-shasums-line" and is_release:
            lines.append((name + ".bak", digest))
            lines.append(("archive/" + name, digest))
            continue
        if evil_kind == "malformed-shasums" and is_release:
            if name.endswith(".tar.xz"):
                digest = digest[:63]
            else:
                digest = digest[:30] + "x" + digest[31:]
        lines.append((name, digest))
    lines.sort()
    for name, data in served.items():
        if data is not None:
            write_file(os.path.join(vdir, name), data, mtime)
    shasums = "".join("%s  %s\n" % (digest, name) for name, digest in lines)
    write_file(os.path.join(vdir, "SHASUMS256.txt"), shasums.encode(), mtime)
    os.utime(vdir, (mtime, mtime))


def main():
    ap = argparse.ArgumentParser(description="Build a fake Node.js mirror for tests.")
    ap.add_argument("outdir")
    ap.add_argument("--versions", default=",".join(DEFAULT_VERSIONS),
                    help="comma-separated versions to build tarballs for")
    ap.add_argument("--platforms", default=",".join(DEFAULT_PLATFORMS))
    ap.add_argument("--evil", action="store_true",
                    help="add the hostile releases v88.0.0 to v98.0.0")
    ap.add_argument("--hostile", action="store_true",
                    help="add the hostile releases v69.0.0 to v79.0.0 (links through links, bombs, modes)")
    ap.add_argument("--pad", type=int, default=32768,
                    help="bytes of incompressible padding in each release (lib/padding.bin)")
    ap.add_argument("--index-tab", default=DEFAULT_TAB)
    args = ap.parse_args()

    header, rows = read_tab(args.index_tab)
    by_version = {r["version"]: r for r in rows}
    template = by_version.get("v23.1.0", rows[0])

    wanted = []
    for v in args.versions.split(","):
        v = v.strip()
        if not v:
            continue
        if not v.startswith("v"):
            v = "v" + v
        vkey(v)
        if v in EVIL or v in HOSTILE:
            die("%s is reserved for --evil and --hostile" % v)
        if v not in wanted:
            wanted.append(v)
    for v in wanted:
        if v not in by_version:
            # A made-up row, put before the first older release.
            row = synth_row(v, template)
            row["date"] = "2025-06-01"
            at = len(rows)
            for i, r in enumerate(rows):
                if vkey(r["version"]) < vkey(v):
                    at = i
                    break
            rows.insert(at, row)
            by_version[v] = row

    evil_rows = []
    kinds = dict(EVIL) if args.evil else {}
    if args.hostile:
        kinds.update(HOSTILE)
    if kinds:
        for v in sorted(kinds, key=vkey, reverse=True):
            row = synth_row(v, template)
            row["date"] = EVIL_DATE
            evil_rows.append(row)
            by_version[v] = row

    platforms = [p.strip() for p in args.platforms.split(",") if p.strip()]
    for p in platforms:
        if not re.match(r"^[a-z]+-[a-z0-9]+$", p):
            die("bad platform %r" % p)

    os.makedirs(args.outdir, exist_ok=True)
    write_index(args.outdir, header, evil_rows + rows)
    index_mtime = max(date_epoch(r["date"]) for r in evil_rows + rows)
    for name in ("index.json", "index.tab"):
        p = os.path.join(args.outdir, name)
        os.utime(p, (index_mtime, index_mtime))

    for v in wanted:
        build_version(args.outdir, v, by_version[v], platforms, args.pad, None)
    for row in evil_rows:
        build_version(args.outdir, row["version"], row, platforms, args.pad,
                      kinds[row["version"]])


if __name__ == "__main__":
    main()
