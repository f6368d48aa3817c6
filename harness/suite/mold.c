/* mold's test suite as mold's own build selects it: test/elf/CMakeLists.txt
 * adds, for the host's triple, every *.sh without '_' in its name and
 * ${MACHINE}_*.sh, MACHINE being the triple's first part, which for the
 * host is CMAKE_HOST_SYSTEM_PROCESSOR with arm* made arm. (So an i686 host
 * looks for i686_*.sh, never mold's i386_*.sh: as CMake does.) */
#include "suite/suite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/proc.h"
#include "util/match.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has_common_inc(const char *dir)
{
	char *inc = path_join(dir, "common.inc");
	bool found = access(inc, F_OK) == 0;
	free(inc);
	return found;
}

/* The scripts' directory: DIR/test/elf (mold 1), DIR/test (mold 2), or
 * DIR itself when it holds common.inc (either given), and the checkout it
 * belongs to. */
static int find_scripts(struct suite *s, const char *dir, struct strbuf *err)
{
	char *root = realpath(dir, NULL);
	if (!root) {
		sb_addf(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	char *elf = path_join(root, "test/elf"), *test = path_join(root, "test");
	if (is_dir(elf)) {
		s->root = root, s->dir = elf, elf = NULL;
	} else if (has_common_inc(test)) {
		s->root = root, s->dir = test, test = NULL;
		s->arch_prefix = true;
	} else if (has_common_inc(root)) {
		s->arch_prefix = strcmp(path_base(root), "elf") != 0;
		char *up = path_dir(root);
		s->root = s->arch_prefix ? up : path_dir(up);
		s->dir = root;
		if (!s->arch_prefix)
			free(up);
	} else {
		sb_addf(err, "%s is neither a mold checkout (it has no test/elf or test/common.inc) nor "
			"mold's test directory (it has no common.inc)", dir);
		free(root);
	}
	free(elf);
	free(test);
	return s->dir ? 0 : -1;
}

/* CMake's processor name as mold's CMakeLists.txt folds it. */
static char *cmake_machine(void)
{
	const char *m = host_arch();
	return xstrdup(!strncmp(m, "arm", 3) ? "arm" : m);
}

static bool is_hex(const char *s)
{
	return *s && strspn(s, "0123456789abcdef") == strlen(s);
}

/* The commit, when root is the top of a git work tree: a copy of the
 * suite inside another project's tree is not at that project's commit. */
static char *git_commit(const char *root)
{
	char *argv[] = { "git", "-C", (char *)root, "rev-parse", "--show-toplevel", "HEAD", NULL };
	struct proc p = { .argv = argv, .timeout = 30, .out_cap = 8192 };
	char *commit = NULL;
	if (proc_run(&p) == 0 && proc_ok(&p) && p.out.len) {
		char *top = p.out.buf, *nl = strchr(top, '\n');
		char *head = nl ? nl + 1 : "";
		if (nl)
			*nl = 0;
		head[strcspn(head, "\n")] = 0;
		char *real = realpath(top, NULL);
		if (real && !strcmp(real, root) && is_hex(head))
			commit = xstrdup(head);
		free(real);
	}
	proc_release(&p);
	return commit;
}

/* project(mold VERSION x.y.z) of the checkout's CMakeLists.txt. */
static char *cmake_version(const char *root)
{
	char *path = path_join(root, "CMakeLists.txt"), *data = NULL, *version = NULL;
	size_t len;
	struct strbuf err = STRBUF_INIT;
	struct regex *re = regex_compile("^\\s*project\\s*\\(\\s*mold\\s+VERSION\\s+([0-9][0-9A-Za-z.+-]*)",
					 &err);
	if (re && read_file_max(path, 1 << 20, &data, &len, NULL, 0) == 0)
		regex_match(re, data, len, &version);
	regex_free(re);
	sb_free(&err);
	free(data);
	free(path);
	return version;
}

static void add_file(struct suite *s, const char *path, const char *name, char *errors)
{
	s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof *s->files);
	s->files[s->nfiles++] = (struct loaded_case){ .path = xstrdup(path), .name = xstrdup(name),
						      .errors = errors };
}

/* A script as a case of one variant and no steps: the plan names,
 * selects and shards it; the script is the work. A name outside the
 * grammar is a broken case, reported as ERROR. */
static void add_script(struct suite *s, const char *path)
{
	const char *base = path_base(path);
	char *name = xasprintf("%s-%.*s", s->kind, (int)(strlen(base) - 3), base);
	char *why = name_is_word(name) ? NULL
		    : xasprintf("%s: the test name '%s' is no linkmatrix name (" NAME_WORD_RULE ")",
				path, name);
	add_file(s, path, name, why);
	free(name);
	struct loaded_case *lc = &s->files[s->nfiles - 1];
	lc->root_len = path_join_prefix(s->dir);   /* the scripts' directory is their root */
	if (why)
		return;
	lc->c = xcalloc(1, sizeof *lc->c);
	lc->c->name = lc->name;
	lc->c->path = lc->path;
	lc->c->root_len = lc->root_len;
	lc->c->tags = (struct slist){ s->tags, 1 };
	lc->c->variants = &s->variant;
	lc->c->nvariants = 1;
}

static bool selected(const struct suite *s, const char *name)
{
	size_t n = strlen(s->machine);
	if (s->arch_prefix)
		return strncmp(name, "arch-", 5) ||
		       (!strncmp(name + 5, s->machine, n) && name[5 + n] == '-');
	return !strchr(name, '_') || (!strncmp(name, s->machine, n) && name[n] == '_');
}

int suite_mold_open(struct suite *s, const char *dir, struct strbuf *err)
{
	memset(s, 0, sizeof *s);
	s->kind = "mold";
	s->variant.name = "default";
	s->tags[0] = s->kind;
	if (find_scripts(s, dir, err) < 0)
		return -1;
	s->machine = cmake_machine();
	s->version = git_commit(s->root);
	if (!s->version)
		s->version = cmake_version(s->root);
	if (!s->version)
		s->version = xstrdup("unknown");
	struct strvec all = STRVEC_INIT;
	if (list_files(s->dir, ".sh", false, &all) < 0) {
		sb_addf(err, "cannot read %s: %s", s->dir, strerror(errno));
		sv_clear(&all);
		return -1;
	}
	for (size_t i = 0; i < all.n; i++)
		if (selected(s, path_base(all.v[i])))
			add_script(s, all.v[i]);
	sv_clear(&all);
	s->ncases = s->nfiles;
	char *inc = path_join(s->dir, "common.inc");
	add_file(s, inc, "common.inc", NULL);
	free(inc);
	if (!s->ncases)
		sb_addf(err, s->arch_prefix ? "%s has no script for this host (*.sh but arch-*, "
			"arch-%s-*.sh)" : "%s has no script for this host (*.sh without '_', %s_*.sh)",
			s->dir, s->machine);
	return s->ncases ? 0 : -1;
}

void suite_free(struct suite *s)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].c);
		free(s->files[i].path);
		free(s->files[i].name);
		free(s->files[i].errors);
	}
	free(s->files);
	free(s->root);
	free(s->dir);
	free(s->machine);
	free(s->version);
	memset(s, 0, sizeof *s);
}
