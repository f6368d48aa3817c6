# A real sshd on 127.0.0.1 with keys made here, and ssh targets that run
# this host's programs through it; for ssh.t and bench/ssh-runner.sh
# (POSIX sh, sourced). Needs root (sshd's privilege separation) and
# openssh-server.
#
# sshd_usable: whether it can be started here.
# sshd_start DIR: keys, config and log in DIR; sets SSHD_PORT, SSHD_KEY and
#   SSHD_PIDFILE, and waits until a login works.
# sshd_stop: kills it.
# ssh_target FILE NAME REMOTE_DIR [EXTRA_YAML]: writes a target file.
sshd=/usr/sbin/sshd
sshd_usable() {
	[ -x "$sshd" ] && command -v ssh >/dev/null && command -v scp >/dev/null &&
		mkdir -p /run/sshd 2>/dev/null
}
sshd_start() {
	k=$1
	mkdir -p "$k"
	ssh-keygen -q -t ed25519 -N '' -f "$k/host"
	ssh-keygen -q -t ed25519 -N '' -f "$k/user"
	cp "$k/user.pub" "$k/authorized_keys"
	chmod 600 "$k/authorized_keys"
	SSHD_PORT=$((20000 + $$ % 20000))
	SSHD_KEY=$k/user
	SSHD_PIDFILE=$k/pid
	cat >"$k/sshd_config" <<CFG
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $k/host
AuthorizedKeysFile $k/authorized_keys
PidFile $k/pid
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 100
Subsystem sftp internal-sftp
CFG
	"$sshd" -f "$k/sshd_config" -E "$k/log"
	i=0
	while [ $i -lt 50 ] && ! ssh -q -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -i "$SSHD_KEY" -p "$SSHD_PORT" "$(id -un)@127.0.0.1" true 2>/dev/null; do
		sleep 0.1; i=$((i + 1))
	done
}
sshd_stop() {
	kill "$(cat "$SSHD_PIDFILE" 2>/dev/null)" 2>/dev/null
}
ssh_target() {
	cat >"$1" <<T
name: $2
os: linux
arch: $(uname -m)
libc: glibc
cc: gcc
cxx: g++
reference-linker: bfd
runner:
  kind: ssh
  host: 127.0.0.1
  port: $SSHD_PORT
  user: $(id -un)
  identity: $SSHD_KEY
  dir: $3
  options: [StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null, LogLevel=ERROR]
${4:-}
T
}
