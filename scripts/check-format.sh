#!/bin/sh
# check-format.sh SRCDIR: TAP; every C file of include/, src/, tools/ and tests/ is
# laid out as .clang-format says (STYLE.md: the .clang-format is the arbiter).
# Fix with: clang-format -i FILE...   (Debian 12's clang-format 14)
set -u
cd "$1" || exit 1
if ! command -v clang-format >/dev/null 2>&1; then
    echo "1..0 # SKIP clang-format not installed (scripts/deps.sh installs it)"
    exit 0
fi
files=$(find include src tools tests -name '*.[ch]' -type f | sort)
n=0
bad=""
for f in $files; do
    n=$((n + 1))
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        bad="$bad $f"
    fi
done
echo "1..1"
if [ -n "$bad" ]; then
    echo "not ok 1 - $n C files, these differ from clang-format's layout:"
    for f in $bad; do
        echo "#   clang-format -i $f"
    done
    exit 1
fi
echo "ok 1 - $n C files laid out as .clang-format says"
