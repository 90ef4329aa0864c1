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

if [ "${VKSH_GOLDEN_CASE:-}" = 1 ]; then
    cases=""
elif [ $# -gt 0 ]; then
    cases="$*"
else
    cases=$(cd "$datadir" && ls -d */ | sed 's,/$,,')
fi

LC_ALL=C
export LC_ALL
unset VIRTKIT_DEFAULT_URI LIBVIRT_DEFAULT_URI

if [ "${VKSH_GOLDEN_CASE:-}" = 1 ]; then
    tmp=$VKSH_GOLDEN_TMP
else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
fi

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

# case_args N CASE: sets dir, out and args (the cmd file's text without its
# trailing newlines, as $(cat) gives it) for case N; prints the TAP line and
# returns 1 if the case has no cmd file.
case_args() {
    n=$1
    c=$2
    dir="$datadir/$c"
    out="$tmp/$n"     # a case's cmd may name files in $out
    mkdir "$out"
    if [ ! -f "$dir/cmd" ]; then
        echo "not ok $n - $c # no cmd file"
        return 1
    fi
    args=""
    nl=""
    while IFS= read -r line || [ -n "$line" ]; do
        args="$args$nl$line"
        nl="
"
    done <"$dir/cmd"
}

# request N CASE: case N as a request to vksh-forkserver (tests/
# vksh-forkserver.c): its directory, output directory, the variables of
# its env file and its arguments, as the exec of run_case would have them.
request() {
    case_args "$1" "$2" >/dev/null || return 0
    (
        cd "$dir" || exit 125
        names=""
        count=0
        if [ -f env ]; then
            while IFS= read -r line || [ -n "$line" ]; do
                case $line in
                    [A-Za-z_]*=*)
                        names="$names ${line%%=*}"
                        count=$((count + 1))
                        ;;
                esac
            done <env
            set -a
            . ./env
            set +a
        fi
        eval "set -- $args"
        printf '%s\0%s\0' "$dir" "$out"
        printf '%s\0' "$count"
        for v in $names; do
            eval "printf '%s=%s\0' \"\$v\" \"\$$v\""
        done
        printf '%s\0' $(($# + 1)) "$prog" "$@"
    )
}

# run_case N CASE: runs one case (unless vksh-forkserver ran it) and prints
# its TAP lines; exits 1 if it fails.
# Per case the shell itself does what it can (reading cmd, the status):
# a process per case costs more than vksh's own run (harness ~7 CPU s of
# the suite's 10 before).
run_case() {
    if [ -n "$served" ]; then
        n=$1
        c=$2
        dir="$datadir/$c"
        out="$tmp/$n"
        [ -f "$dir/cmd" ] || {
            echo "not ok $n - $c # no cmd file"
            return 1
        }
        status=""
        IFS= read -r status <"$out/status" || {
            echo "not ok $n - $c # vksh-forkserver did not run it"
            return 1
        }
    else
        case_args "$1" "$2" || return 1
        (
            cd "$dir" || exit 125
            if [ -f env ]; then
                set -a
                . ./env
                set +a
            fi
            eval "set -- $args"
            exec "$prog" "$@" </dev/null >"$out/stdout" 2>"$out/stderr"
        )
        status=$?
        echo $status >"$out/status"
    fi

    if [ -n "$regen" ]; then
        cp "$out/stdout" "$out/stderr" "$out/status" "$dir/"
        echo "ok $n - $c # regenerated"
        return 0
    fi

    bad=""
    for f in stdout stderr status; do
        # identical as recorded: identical once masked (the common case, and
        # the cheap one: masking costs two processes per file)
        if [ $f = status ]; then
            want=""
            IFS= read -r want <"$dir/status"
            [ "$want" = "$status" ] && continue
        else
            # both empty (most stderr): nothing to compare
            [ -s "$dir/$f" ] || [ -s "$out/$f" ] || continue
            cmp -s "$dir/$f" "$out/$f" && continue
        fi
        mask "$dir/$f" "$dir/masks" >"$out/expect.$f" 2>/dev/null ||
            : >"$out/expect.$f"
        mask "$out/$f" "$dir/masks" >"$out/actual.$f"
        if ! cmp -s "$out/expect.$f" "$out/actual.$f"; then
            bad="$bad $f"
        fi
    done
    if [ -z "$bad" ]; then
        echo "ok $n - $c"
        return 0
    fi
    echo "not ok $n - $c # differs:$bad"
    echo "# cmd: $args"
    for f in $bad; do
        diff -u "$out/expect.$f" "$out/actual.$f" | sed 's/^/# /'
    done
    return 1
}

# The cases are independent (each opens its own test:///default or its own
# files): xargs runs them VKSH_GOLDEN_JOBS at a time (default: one per CPU)
# through this script's --case mode, 8 cases per shell, each into its own
# result file; the results are printed in case order.
if [ "${VKSH_GOLDEN_CASE:-}" = 1 ]; then
    # --case mode: $tmp is the parent's; run the cases named (pairs N CASE),
    # keep nothing else.
    trap - EXIT
    served=""
    if [ -n "${VKSH_GOLDEN_SERVER:-}" ] && [ -z "$regen" ]; then
        # one vksh-forkserver runs the batch (a child per case), then each
        # case is compared as below
        req="$tmp/requests.$1"
        (
            while [ $# -ge 2 ]; do
                request "$1" "$2"
                shift 2
            done
        ) >"$req"
        # (a case it did not run has no status: run_case says so)
        VKSH_FORKSERVER=1 "$VKSH_GOLDEN_SERVER" <"$req"
        served=yes
    fi
    while [ $# -ge 2 ]; do
        run_case "$1" "$2" >"$tmp/result.$1" 2>&1
        shift 2
    done
    exit 0
fi
jobs=${VKSH_GOLDEN_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ -n "$regen" ] && jobs=1
total=$(echo $cases | wc -w)
echo "1..$total"
n=0
# (the loop runs in a pipeline's subshell: $total, not $n, counts afterwards)
for c in $cases; do
    n=$((n + 1))
    echo "$n $c"
done | VKSH_GOLDEN_CASE=1 VKSH_GOLDEN_TMP="$tmp" \
    xargs -P "$jobs" -n 16 sh "$0" "$prog"

failed=0
i=1
while [ "$i" -le "$total" ]; do
    cat "$tmp/result.$i"
    grep -q '^not ok ' "$tmp/result.$i" && failed=$((failed + 1))
    i=$((i + 1))
done

[ $failed -eq 0 ]
