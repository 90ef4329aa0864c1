#!/bin/sh
# vksh-golden.sh: runs vksh on every case of tests/data/vksh/ and compares
# its stdout, stderr and exit status with those recorded from real virsh 9.0.
#
# Usage: tests/vksh-golden.sh PROGRAM [CASE...]
#   PROGRAM  the shell to test (build-dir/tools/vksh/vksh, or virsh itself)
#   CASE     case names (directories under tests/data/vksh/); default: all
# TEST_REGENERATE=1 re-records the expected files by running real virsh
# ($VIRSH, default "virsh") instead of PROGRAM; review the diff afterwards.
#
# A case is a directory holding:
#   cmd      the arguments, one line in shell syntax (eval'd), e.g.
#            -c test:///default 'destroy test; domstate --reason test'
#   stdout, stderr, status   what virsh printed and its exit status
#   masks    optional; one extended regex per line.  An output line that
#            matches one of them as a whole (stdout or stderr, expected or
#            actual) is replaced by "<masked: REGEX>" before comparing, so
#            only values that legitimately vary (CPU time = the current
#            epoch in the test driver, generated UUIDs, the host name) are
#            masked, and their format is still checked.
#   env      optional; VAR=VALUE lines exported for the command
#   other files (domain XML) are inputs; the command runs in the case dir.
# Output is TAP.

set -u

here=$(cd "$(dirname "$0")" && pwd)
datadir="$here/data/vksh"

if [ $# -lt 1 ]; then
    echo "usage: $0 PROGRAM [CASE...]" >&2
    exit 2
fi
prog=$1
shift
case $prog in
    /*) ;;
    */*) prog="$(pwd)/$prog" ;;
esac

regen=${TEST_REGENERATE:-}
if [ -n "$regen" ]; then
    prog=${VIRSH:-virsh}
fi

if [ $# -gt 0 ]; then
    cases="$*"
else
    cases=$(cd "$datadir" && ls -d */ | sed 's,/$,,')
fi

LC_ALL=C
export LC_ALL
unset VIRTKIT_DEFAULT_URI LIBVIRT_DEFAULT_URI

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# mask FILE MASKS: prints FILE with every line that fully matches a regex of
# MASKS (Perl syntax, a superset of extended regexes) replaced by the regex.
mask() {
    if [ -s "$2" ]; then
        perl -e '
            open(my $m, "<", $ARGV[0]) or die;
            my @pat = grep { length } map { chomp; $_ } <$m>;
            open(my $f, "<", $ARGV[1]) or die;
            while (my $line = <$f>) {
                chomp $line;
                for my $re (@pat) {
                    if ($line =~ /^(?:$re)$/) { $line = "<masked: $re>"; last }
                }
                print "$line\n";
            }' "$2" "$1"
    else
        cat "$1"
    fi
}

total=$(echo $cases | wc -w)
echo "1..$total"
n=0
failed=0
for c in $cases; do
    n=$((n + 1))
    dir="$datadir/$c"
    if [ ! -f "$dir/cmd" ]; then
        echo "not ok $n - $c # no cmd file"
        failed=$((failed + 1))
        continue
    fi
    args=$(cat "$dir/cmd")
    (
        cd "$dir" || exit 125
        if [ -f env ]; then
            set -a
            . ./env
            set +a
        fi
        eval "set -- $args"
        exec "$prog" "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
    )
    echo $? >"$tmp/status"

    if [ -n "$regen" ]; then
        cp "$tmp/stdout" "$tmp/stderr" "$tmp/status" "$dir/"
        echo "ok $n - $c # regenerated"
        continue
    fi

    bad=""
    for f in stdout stderr status; do
        mask "$dir/$f" "$dir/masks" >"$tmp/expect.$f" 2>/dev/null ||
            : >"$tmp/expect.$f"
        mask "$tmp/$f" "$dir/masks" >"$tmp/actual.$f"
        if ! cmp -s "$tmp/expect.$f" "$tmp/actual.$f"; then
            bad="$bad $f"
        fi
    done
    if [ -z "$bad" ]; then
        echo "ok $n - $c"
    else
        echo "not ok $n - $c # differs:$bad"
        echo "# cmd: $args"
        for f in $bad; do
            diff -u "$tmp/expect.$f" "$tmp/actual.$f" | sed 's/^/# /'
        done
        failed=$((failed + 1))
    fi
done

[ $failed -eq 0 ]
