#!/bin/sh
# check-format.sh SRCDIR: TAP; every C file of include/, src/, tools/ and
# tests/ is laid out as .clang-format says (STYLE.md: the .clang-format is
# the arbiter). Fix with: clang-format -i FILE...   (Debian 12's clang-format 14)
set -u
cd "$1" || exit 1
if ! command -v clang-format >/dev/null 2>&1; then
    echo "1..0 # SKIP clang-format not installed (scripts/deps.sh installs it)"
    exit 0
fi
files=$(find include src tools tests -name '*.[ch]' -type f | sort)
n=$(echo "$files" | wc -l)
# One clang-format for every file: it names each file that differs in its
# "FILE:LINE:COL: error: code should be clang-formatted" lines.
# shellcheck disable=SC2086
bad=$(clang-format --dry-run -Werror $files 2>&1 |
      sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' |
      sort -u)
echo "1..1"
if [ -n "$bad" ]; then
    echo "not ok 1 - $n C files, these differ from clang-format's layout:"
    for f in $bad; do
        echo "#   clang-format -i $f"
    done
    exit 1
fi
echo "ok 1 - $n C files laid out as .clang-format says"
