#!/bin/sh
# harness/ is on the include path (-Iharness), so a header of ours named
# like a system one hides it from the system's own headers: harness/sched.h
# once stood in for <sched.h> inside <pthread.h>, which broke the build as
# soon as a file asked for more than POSIX (and would have on FreeBSD and
# illumos, whose <pthread.h> always includes <sched.h>).
. "$(dirname "$0")/lib/tap.sh"

# C11 and POSIX.1-2017 headers, by name, whatever this system installs.
std="assert complex ctype errno fenv float inttypes iso646 limits locale math
setjmp signal stdalign stdarg stdatomic stdbool stddef stdint stdio stdlib
stdnoreturn string tgmath threads time uchar wchar wctype aio arpa cpio dirent
dlfcn fcntl fmtmsg fnmatch ftw glob grp iconv langinfo libgen monetary mqueue
ndbm netdb nl_types poll pthread pwd regex sched search semaphore spawn
strings stropts syslog tar termios trace ulimit unistd utime utmpx wordexp"
clash=
for h in "$LM_SRCDIR"/harness/*.h "$LM_SRCDIR"/harness/*/*.h; do
	b=$(basename "$h" .h)
	for s in $std; do [ "$b" = "$s" ] && clash="$clash $b.h"; done
	[ -e "/usr/include/$b.h" ] && clash="$clash $b.h"
done
# A folder of harness/ is a prefix on the include path too: harness/sys/
# would be searched for <sys/types.h> before the system's directory.
for d in "$LM_SRCDIR"/harness/*/; do
	b=$(basename "$d")
	for s in sys arpa net netinet; do [ "$b" = "$s" ] && clash="$clash $b/"; done
	[ -d "/usr/include/$b" ] && clash="$clash $b/"
done
ok "$([ -z "$clash" ] && echo 0 || { echo "# hides a system header:$clash" >&2; echo 1; })" \
	"no header or folder in harness/ has the name of a system header or folder"

done_testing
