#!/usr/bin/env python3
"""help_vs_man.py NODUS RENDERED_MAN: check that `nodus help COMMAND` says
what man/nodus.1 says, for every command of `nodus help --commands`.

RENDERED_MAN is the page as text (mandoc -Tascii, overstrikes removed).
Both sides are normalised (whitespace runs become one space, quotes become
', case is ignored); then
  - the usage line, with all whitespace removed, must appear in the page as
    "nodus" + usage (mdoc spaces "[SPEC ...]" and "a | b" differently);
  - every sentence of the help text (summary, description, options and
    examples, headers such as "options:" left out) must appear in the page.
Prints each mismatch and exits 1 when there is one."""
import re
import subprocess
import sys

HEADERS = {"options:", "subcommands:", "examples:"}


def norm(text):
    text = text.replace("`", "'").replace("\u2018", "'").replace("\u2019", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def sentences(text):
    # A sentence ends with . ? or ! before a space; keep the punctuation.
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s]


def main():
    nodus, man_path = sys.argv[1], sys.argv[2]
    with open(man_path, encoding="utf-8", errors="replace") as f:
        man = f.read()
    # mandoc may break a line after a hyphen inside a word ("hard-" / "linked").
    man = re.sub(r"(?<=\w-)\n\s*(?=\w)", "", man)
    man_norm = norm(man)
    man_bare = re.sub(r"\s+", "", man_norm)
    cmds = subprocess.run([nodus, "help", "--commands"], check=True, capture_output=True,
                          text=True).stdout.split()
    bad = 0
    for cmd in cmds:
        out = subprocess.run([nodus, "help", cmd], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{cmd}: 'nodus help {cmd}' failed ({out.returncode}): {out.stderr.strip()}")
            bad += 1
            continue
        lines = out.stdout.splitlines()
        if not lines or not lines[0].startswith("usage: nodus "):
            print(f"{cmd}: 'nodus help {cmd}' does not start with a usage line")
            bad += 1
            continue
        usage = re.sub(r"\s+", "", lines[0][len("usage: "):]).lower()
        if usage not in man_bare:
            print(f"{cmd}: the usage line '{lines[0]}' is not in the man page")
            bad += 1
        body = [l for l in lines[1:] if l.strip().lower() not in HEADERS]
        if len([l for l in body if l.strip()]) < 3:
            print(f"{cmd}: 'nodus help {cmd}' has no description (add it to src/cmd_help.c)")
            bad += 1
        # Paragraphs (blank-line separated) first: the summary has no period.
        for para in re.split(r"\n\s*\n", "\n".join(body)):
            for s in sentences(norm(para)):
                if s not in man_norm:
                    print(f"{cmd}: not in the man page: {s}")
                    bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
