/* Loader profiles and the rules of ../shared/ELF-RULES.md (docs/elf-rules.md):
 * what each OS's kernel and runtime linker refuse, checked in the file, so
 * a porter on Linux learns what illumos, musl or FreeBSD would do. */
#ifndef LM_ELF_RULES_H
#define LM_ELF_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/model.h"

enum profile_kind { PROF_GABI, PROF_GLIBC, PROF_MUSL, PROF_ILLUMOS, PROF_FREEBSD, PROF_ANDROID };

struct profile {
	enum profile_kind kind;
	int ver[3];                  /* 0.0.0: unknown, taken as the newest */
	char name[48];               /* as written: "linux-musl-1.2.3" */
	bool as_if;                  /* the file was made for another system and is
				      * checked as if it ran on this one: rules about
				      * the system's own files (its loader's path) do
				      * not apply */
	/* The target's own loaders: written in its file (then the system has no
	 * other: loaders_only), or the one its compiler writes into a PIE. */
	const char *const *loaders;
	size_t nloaders;
	bool loaders_only;
	/* Where the target's files are on this machine ("/" for a native
	 * runner, qemu-user's -L), so that an interpreter can be looked for
	 * where its loader looks; NULL when they are on another machine. */
	const char *root;
	bool root_then_host;         /* qemu-user: the host's path when -L has none */
};

/* "gabi", "linux-glibc[-2.36]", "linux-musl[-1.2.3]", "illumos",
 * "freebsd[-13.1]", "android". 0, or -1 with the reason in err. */
int profile_parse(const char *s, struct profile *p, struct strbuf *err);
/* A comma-separated list; appends to *v. */
int profiles_parse(const char *list, struct profile **v, size_t *n, struct strbuf *err);

struct finding {
	const char *rule;            /* "illumos-phdr-needs-interp" */
	const char *profile;         /* the profile's name, "gabi" for gABI rules */
	char *where;                 /* the offending header, entry or address */
	const char *consequence;     /* what the loader does, in plain words */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

/* Checks f against the gABI and each profile; findings in out, each rule
 * and place once. */
void rules_check(const struct elf_file *f, const struct profile *p, size_t np,
		 struct findings *out);
void findings_free(struct findings *fs);
bool findings_has(const struct findings *fs, const char *rule);

/* Every rule: id, the profiles that enforce it, its statement. For
 * `elf rules` and the reports. */
struct rule_info {
	const char *id, *profiles, *rule, *consequence;
};
size_t rule_count(void);
struct rule_info rule_info_at(size_t i);
bool rule_exists(const char *id);

#endif
