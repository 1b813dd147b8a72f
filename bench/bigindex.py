#!/usr/bin/env python3
"""bigindex.py INDEX.json OUT.json [MIB]: a release index of about MIB MiB
(default 63, under nodus's 64 MiB cap) made of the rows of INDEX.json
repeated with made-up versions (v1000.0.0 and up, each unique), for
measuring what a huge index costs (README, "A huge release index")."""
import json
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    target = int(float(sys.argv[3] if len(sys.argv) > 3 else 63) * (1 << 20))
    rows = json.load(open(src))
    # The real rows first (so "22" still means something), then made-up ones.
    parts = [json.dumps(r, separators=(",", ":")) for r in rows]
    size, n = 2 + sum(len(p) + 2 for p in parts), 0
    while True:
        row = dict(rows[n % len(rows)])
        row["version"] = "v%d.%d.%d" % (1000 + n // 10000, (n // 100) % 100, n % 100)
        text = json.dumps(row, separators=(",", ":"))
        if size + len(text) + 2 > target:
            break
        parts.append(text)
        size += len(text) + 2
        n += 1
    with open(out, "w") as f:
        f.write("[\n" + ",\n".join(parts) + "\n]\n")
    print("%s: %d releases, %d bytes" % (out, len(parts), size), file=sys.stderr)


if __name__ == "__main__":
    main()
