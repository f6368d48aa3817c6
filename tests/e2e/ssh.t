#!/bin/sh
# The ssh runner against a real sshd on 127.0.0.1 with keys made here:
# programs and their shared objects copied over, exit status, signals and
# output brought back, timeouts that leave nothing running, cleanup, and
# runner failures reported as ERROR, not as the program's FAIL.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/sshd.sh"

N=16
if ! sshd_usable; then
	i=0; while [ $i -lt $N ]; do ok 0 "# SKIP no sshd here (openssh-server, run as root)"; i=$((i + 1)); done
	done_testing
	exit
fi
mkdir -p "$TMP/remote" "$TMP/targets"
sshd_start "$TMP/keys"
trap 'sshd_stop; rm -rf "$TMP"' EXIT
target() {  # target NAME DIR: a target running programs over ssh here
	ssh_target "$TMP/targets/$1.yaml" "$1" "$2" "diagnose: ['elfdump -p {program}', 'truss -f {args}']"
}
target over-ssh "$TMP/remote"
target unwritable /proc/no-such-dir
cp "$LM_SRCDIR/targets.d/x86_64-linux-gnu.yaml" "$TMP/targets/"

"$LINKMATRIX" targets --targets-dir "$TMP/targets" >"$TMP/out" 2>&1
check "an ssh target that answers is usable" has "$TMP/out" '^over-ssh +usable .*runner ssh'
LINKMATRIX_SSH_OVER_SSH=127.0.0.1:1 "$LINKMATRIX" targets --targets-dir "$TMP/targets" >"$TMP/out" 2>&1
check "one that does not answer is not, saying why (the environment overrides the file)" \
	has "$TMP/out" 'not usable: cannot reach .*127.0.0.1'

R=$TMP/reports
run() { "$LINKMATRIX" run -j2 --report "$R" --targets-dir "$TMP/targets" "$@" >"$TMP/out" 2>&1; }
run --target over-ssh "$E2E/cases/good"
ok $? "the good cases over ssh: exit 0"
check "a program compared with the reference, run remotely" has "$TMP/out" '^PASS +hello:default over-ssh lld'
check "a program with the shared object it was linked with, copied along" \
	has "$TMP/out" '^PASS +shared-lib:default over-ssh mold'
check "the remote directories are removed" sh -c "test -z \"\$(ls '$TMP/remote')\""

run --target over-ssh "$E2E/cases/ssh/crash.yaml"
ok $? "a remote program killed by SIGSEGV, as its case expects: exit 0"
check "the signal and the output before it came back" has "$TMP/out" '^PASS +crash:default over-ssh bfd'

run --target over-ssh --timeout 5 "$E2E/cases/hang.yaml"
check "a remote program that hangs: TIMEOUT at run" has "$TMP/out" '^TIMEOUT +hang:default over-ssh gold \[run\]'
check "and nothing is left running on the remote host" sh -c "! pgrep -f '$TMP/remot[e]/'"

run --target over-ssh --linker bfd --diagnose "$E2E/cases/death/crash-in-main.yaml"
check "--diagnose over ssh lists the target's commands for the remote host, not run here" \
	sh -c "grep -q 'To look closer, run on over-ssh' '$R/latest/results.json' &&
	       grep -q 'truss -f ./main crash' '$R/latest/results.json'"

# A login shell that prints as it starts (a motd; pyenv's complaints made
# this test fail now and then): not the program's output. An ssh that
# prints before the remote command runs stands in for it.
mkdir -p "$TMP/noisy"
cat >"$TMP/noisy/ssh" <<EOF
#!/bin/sh
echo 'Welcome to the remote host'
echo 'pyenv: cannot rehash' >&2
exec '$(command -v ssh)' "\$@"
EOF
chmod +x "$TMP/noisy/ssh"
PATH=$TMP/noisy:$PATH run --target over-ssh --linker bfd --keep "$E2E/cases/good/hello.yaml"
ok $? "a remote shell that prints as it starts: exit 0"
# The program's run: "hello\n" on stdout, nothing on stderr.
check "what it printed is not the program's output" python3 -c "
import json, sys
run = json.load(open(sys.argv[1]))['results'][0]['commands'][-1]
sys.exit(not (run['stdout_bytes'] == 6 and run['stderr_bytes'] == 0))" "$R/latest/results.json"

# repro.sh for an ssh target, with an ssh and an scp that know this sshd
# (as a user's ~/.ssh/config would) and a remote shell that prints as it
# starts, differently each time: hello's run with lld is compared with
# its run with the reference linker.
mkdir -p "$TMP/conf"
opts="-i '$SSHD_KEY' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
cat >"$TMP/conf/ssh" <<EOF
#!/bin/sh
echo "Welcome, session \$\$"
echo "pyenv: cannot rehash (\$\$)" >&2
exec '$(command -v ssh)' -p $SSHD_PORT $opts "\$@"
EOF
cat >"$TMP/conf/scp" <<EOF
#!/bin/sh
exec '$(command -v scp)' -P $SSHD_PORT $opts "\$@"
EOF
chmod +x "$TMP/conf/ssh" "$TMP/conf/scp"
"$LINKMATRIX" repro "$E2E/cases/good/hello.yaml" --linker lld --target over-ssh \
	--targets-dir "$TMP/targets" -o "$TMP/repro" >"$TMP/out" 2>&1 &&
	PATH=$TMP/conf:$PATH RDIR=$TMP/remote/repro sh "$TMP/repro/repro.sh" >"$TMP/out" 2>&1
ok $? "repro.sh of an ssh target, through a remote shell that prints as it starts: exit 0"

run --target unwritable "$E2E/cases/good/hello.yaml"
ok $(($? == 1 ? 0 : 1)) "a runner that cannot copy the program: exit 1"
check "an ERROR of the runner, not the program's FAIL" \
	has "$TMP/out" "^ERROR +hello:default unwritable bfd \\[run\\]: ssh .*mkdir -p"

done_testing
