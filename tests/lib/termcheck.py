#!/usr/bin/env python3
"""termcheck.py FILE...: fail when a file holds anything a terminal would obey.

Allowed: printable ASCII, LF (a line end) and valid UTF-8 text.  Refused,
with the offset and the bytes: other C0 controls (ESC, BEL, CR, TAB...),
DEL, invalid UTF-8, C1 controls (U+0080..U+009F), bidi controls (U+061C,
U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and U+2028/U+2029.  Also
refused: a line that starts with "nodus: all good", the fake line the
hostile inputs of the tests try to forge.
"""
import sys

HIDDEN = set(range(0x80, 0xa0)) | {0x061c, 0x200e, 0x200f, 0x2028, 0x2029} | \
    set(range(0x202a, 0x202f)) | set(range(0x2066, 0x206a))


def check(path):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "%s: invalid UTF-8 at byte %d: %r" % (path, e.start, data[max(0, e.start - 20):e.start + 20])
    for i, ch in enumerate(text):
        c = ord(ch)
        if (c < 0x20 and ch != "\n") or c == 0x7f or c in HIDDEN:
            return "%s: raw U+%04X at character %d: %r" % (path, c, i, text[max(0, i - 30):i + 30])
    for line in text.split("\n"):
        if line.startswith("nodus: all good"):
            return "%s: a forged line: %r" % (path, line)
    return None


def main():
    bad = [m for m in (check(p) for p in sys.argv[1:]) if m]
    for m in bad:
        print(m, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
