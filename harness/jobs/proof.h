/* Proof that an output was made by the linker that was asked for: its
 * banner in the link's output, its mark in the output file. */
#ifndef LM_PROOF_H
#define LM_PROOF_H

#include <stdbool.h>

#include "load/case.h"
#include "load/linker.h"

struct elf_file;

/* What a link left to prove it: its stdout and stderr (run with the
 * linker's proof flag), the output (NULL when it could not be opened:
 * unreadable says why), and the files the link command named, whose own
 * marks prove nothing. */
struct proof_input {
	const char *text;
	size_t len;
	const char *output;
	const char *unreadable;
	enum mode mode;
	const struct strvec *inputs;   /* paths */
};

/* What the linker printed when rustc ran it: the lines of rustc's
 * linker-messages warnings ("warning: linker stdout: LINE", then lines
 * indented under it), as they were printed, appended to out. */
void proof_rustc_text(const char *s, size_t n, struct strbuf *out);

/* A link's stderr as the linker wrote it, appended to out: GCC's collect2
 * answers the proof flag (-Wl,-v) with its version and the linker's
 * command line there, which a case's expectation of stderr is not about. */
void proof_strip_echo(const char *s, size_t n, struct strbuf *out);

/* True when the output f is proved to be l's; else appends the reason to
 * why, naming the linker that ran where its banner or mark shows it. */
bool proof_check(const struct linker *l, const struct linker_set *all,
		 const struct proof_input *in, const struct elf_file *f, struct strbuf *why);

#endif
