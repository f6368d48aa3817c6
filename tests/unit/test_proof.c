/* What a linker printed when rustc ran it, read out of rustc's
 * linker-messages warnings (as rustc 1.95 words them), for the banner
 * that proves which linker ran; and a link's stderr without what GCC's
 * collect2 echoes for the proof flag, for a case's expectations. */
#include <string.h>

#include "jobs/proof.h"
#include "tap.h"

static void text_of(const char *rustc, const char *want, const char *what)
{
	struct strbuf out = STRBUF_INIT;
	proof_rustc_text(rustc, strlen(rustc), &out);
	is_str(sb_str(&out), want, what);
	sb_free(&out);
}

static void stripped(const char *err, const char *want, const char *what)
{
	struct strbuf out = STRBUF_INIT;
	proof_strip_echo(err, strlen(err), &out);
	is_str(sb_str(&out), want, what);
	sb_free(&out);
}

int main(void)
{
	tap_start();
	stripped("collect2 version 12.2.0\n/usr/bin/ld -plugin x -o a a.o\n", "",
		 "collect2's version and the command it ran: nothing the linker said");
	stripped("collect2 version 12.2.0\n/usr/bin/ld -o a a.o\n/usr/bin/ld: warning: w\n",
		 "/usr/bin/ld: warning: w\n", "the linker's warning after it is kept");
	stripped("/usr/bin/ld: a.o: undefined reference to `f'\ncollect2: error: ld returned 1 "
		 "exit status\n", "/usr/bin/ld: a.o: undefined reference to `f'\ncollect2: error: ld "
		 "returned 1 exit status\n", "collect2's error is kept: only its echo goes");
	stripped("no newline", "no newline", "a last line without a newline");
	text_of("warning: linker stdout: GNU ld (GNU Binutils for Debian) 2.40\n"
		"         \n\nwarning: 1 warning emitted\n\n",
		"GNU ld (GNU Binutils for Debian) 2.40\n\n",
		"the banner at the start of a line, as ^GNU ld wants it");
	text_of("warning: linker stderr: collect2 version 12.2.0\n"
		"         /usr/bin/ld.lld -plugin x -o m\n"
		"         \n"
		"  |\n"
		"  = note: requested on the command line with `-W linker-messages`\n\n"
		"warning: linker stdout: Debian LLD 14.0.6 (compatible with GNU linkers)\n"
		"         \n",
		"collect2 version 12.2.0\n/usr/bin/ld.lld -plugin x -o m\n\n"
		"Debian LLD 14.0.6 (compatible with GNU linkers)\n\n",
		"stderr and stdout, their indented lines, not rustc's notes");
	text_of("error: linking with `cc` failed: exit status: 1\n"
		"         GNU ld (pretending)\n",
		"", "indented lines outside a linker message are rustc's");
	text_of("warning: linker stdout: mold 1.10.1", "mold 1.10.1\n", "no newline at the end");
	text_of("", "", "nothing printed");
	return tap_done();
}
