#!/bin/sh
# vksh-cli.sh: what vksh does that has no virsh recording to compare with:
# the VIRTKIT_DEFAULT_URI variable, commands read from standard input, its
# own --help and version texts.  (Everything virsh also does is in the
# golden suite, tests/vksh-golden.sh.)
#
# Usage: tests/vksh-cli.sh VKSH        Output is TAP.
set -u

vksh=$1
LC_ALL=C
export LC_ALL
unset VIRTKIT_DEFAULT_URI LIBVIRT_DEFAULT_URI

n=0
failed=0
# check NAME EXPECTED ACTUAL
check() {
    n=$((n + 1))
    if [ "$2" = "$3" ]; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        printf '# expected: %s\n# actual:   %s\n' "$2" "$3"
        failed=$((failed + 1))
    fi
}

echo "1..10"

out=$(VIRTKIT_DEFAULT_URI=test:///default LIBVIRT_DEFAULT_URI=bogus:///nowhere "$vksh" uri 2>&1)
check "VIRTKIT_DEFAULT_URI wins over LIBVIRT_DEFAULT_URI" "test:///default" "$out"

out=$(VIRTKIT_DEFAULT_URI= LIBVIRT_DEFAULT_URI=test:///default "$vksh" uri 2>&1)
check "an empty VIRTKIT_DEFAULT_URI is ignored" "test:///default" "$out"

out=$(VIRTKIT_DEFAULT_URI=bogus:///nowhere "$vksh" -c test:///default uri 2>&1)
check "-c wins over VIRTKIT_DEFAULT_URI" "test:///default" "$out"

out=$(printf 'destroy test\ndomstate --reason test; domid test\n' |
      "$vksh" -c test:///default 2>&1)
check "commands from standard input share one connection" \
    "Domain 'test' destroyed

shut off (destroyed)

-" "$out"

out=$(printf 'domstate test\nquit\ndomstate test\n' | "$vksh" -q -c test:///default 2>&1)
check "quit ends standard input mode" "running" "$out"

printf 'bogus\n' | "$vksh" -c test:///default >/dev/null 2>&1
check "a bad line in standard input mode fails the run" "1" "$?"

out=$("$vksh" --help | sed -n 2p)
check "--help names vksh" "vksh [options]... [<command_string>]" "$out"

out=$("$vksh" --help | grep -c '^    [a-z]')
cmds=$("$vksh" -c test:///default help | grep -c '^    [a-z]')
check "--help lists every command help lists" "$cmds" "$out"

out=$("$vksh" --version=bogus 2>&1; echo "status $?")
check "--version rejects an unknown type" "error: unknown version type 'bogus'
status 1" "$out"

out=$(printf 'cd /\npwd\ncd /nonexistent-dir\n' | "$vksh" -q -c test:///default 2>&1)
check "cd works in standard input mode" "/
error: cd: No such file or directory: /nonexistent-dir" "$out"

[ $failed -eq 0 ]
