/* Reading a Wild test's text: its source and every file it brings along
 * (dependencies, looked for where Wild looks for them, and the local
 * headers each includes), and its //#Directive:args lines, handed one by
 * one to a handler. A case holds every file it needs, so a file it cannot
 * hold (not UTF-8 text, or outside DIR) fails the test here, before any
 * case is written. */
#include "import/import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/case.h"

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

/* Appends the items of s between seps, trimmed, leaving out empty ones. */
void imp_split(struct strvec *v, const char *s, char sep)
{
	const char seps[] = { sep, 0 };
	while (*s) {
		size_t n = strcspn(s, seps);
		char *item = xstrndup(s, n);
		if (*trim(item))
			sv_push(v, trim(item));
		free(item);
		s += n + (s[n] == sep);
	}
}

char *imp_stem_of(const char *path)
{
	const char *base = path_base(path), *dot = strrchr(base, '.');
	return dot ? xstrndup(base, (size_t)(dot - base)) : xstrdup(base);
}

bool imp_is_rust(const char *path)
{
	const char *dot = strrchr(path_base(path), '.');
	return dot && !strcmp(dot, ".rs");
}

/* The next line of text at *p, without its newline; false at the end. */
bool imp_next_line(const char **p, const char **line, size_t *n)
{
	if (!**p)
		return false;
	*line = *p;
	*n = strcspn(*p, "\n");
	*p += *n + ((*p)[*n] == '\n');
	return true;
}

/* UTF-8 without NUL: what a YAML string can hold. */
static bool is_text(const char *s, size_t len)
{
	for (size_t i = 0, k; i < len; i += k)
		if (!s[i] || !(k = utf8_seq_len((const unsigned char *)s + i, len - i)))
			return false;
	return true;
}

/* path with its . and .. resolved; NULL when it leaves DIR. */
static char *normalize(const char *path)
{
	struct strvec parts = STRVEC_INIT;
	bool ok = path[0] != '/';
	for (const char *p = path; *p && ok;) {
		size_t n = strcspn(p, "/");
		bool up = n == 2 && !strncmp(p, "..", 2);
		if (up && parts.n) {
			free(parts.v[--parts.n]);
			parts.v[parts.n] = NULL;
		} else if (up) {
			ok = false;
		} else if (n && !(n == 1 && *p == '.')) {
			char *part = xstrndup(p, n);
			sv_push(&parts, part);
			free(part);
		}
		p += n + (p[n] == '/');
	}
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; ok && i < parts.n; i++)
		sb_addf(&sb, "%s%s", i ? "/" : "", parts.v[i]);
	sv_clear(&parts);
	if (ok && sb.len)
		return sb_detach(&sb);
	sb_free(&sb);
	return NULL;
}

static bool is_file(const struct importer *im, const char *rel)
{
	char *path = path_join(im->dir, rel);
	struct stat st;
	bool r = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return r;
}

/* A dependency where Wild looks for it: beside the test, in DIR/common,
 * in DIR. Its name relative to DIR, or NULL. */
char *imp_find_dep(const struct wtest *t, const char *name)
{
	char *tdir = path_dir(t->rel);
	const char *const bases[] = { tdir, "common", "" };
	char *found = NULL;
	for (size_t i = 0; i < ARRAY_LEN(bases) && !found; i++) {
		char *joined = path_join(bases[i], name);
		found = normalize(joined);
		if (found && !is_file(t->im, found)) {
			free(found);
			found = NULL;
		}
		free(joined);
	}
	free(tdir);
	return found;
}

const struct wfile *imp_find_file(const struct wtest *t, const char *name)
{
	for (size_t i = 0; i < t->nfiles; i++)
		if (!strcmp(t->files[i].name, name))
			return &t->files[i];
	return NULL;
}

/* The name in `#include "NAME"`, or NULL. */
static char *quoted_include(const char *line, size_t n)
{
	char *s = xstrndup(line, n), *p = s + strspn(s, " \t"), *name = NULL;
	if (*p == '#') {
		p += 1 + strspn(p + 1, " \t");
		if (!strncmp(p, "include", 7)) {
			p += 7 + strspn(p + 7, " \t");
			char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
			name = end ? xstrndup(p + 1, (size_t)(end - p - 1)) : NULL;
		}
	}
	free(s);
	return name;
}

/* The local headers file i includes, resolved from its directory as the
 * compiler does; one outside DIR cannot be held by the case. */
static int embed_includes(struct wtest *t, size_t i)
{
	char *dir = path_dir(t->files[i].name);
	const char *p = t->files[i].text, *line;
	size_t n;
	int rc = 0;
	while (rc == 0 && imp_next_line(&p, &line, &n)) {
		char *name = quoted_include(line, n);
		char *joined = name && name[0] != '/' ? path_join(dir, name) : NULL;
		char *rel = joined ? normalize(joined) : NULL;
		if (joined && !rel)
			rc = imp_fail(t, "%s includes \"%s\", which is outside %s: a case holds only the "
				      "files under it", t->files[i].name, name, t->im->dir);
		else if (rel && is_file(t->im, rel)) {
			sv_push(&t->files[i].includes, rel);
			rc = imp_embed(t, rel);
		}
		free(rel);
		free(joined);
		free(name);
	}
	free(dir);
	return rc;
}

bool imp_is_text_file(const struct wtest *t, const char *rel)
{
	char *path = path_join(t->im->dir, rel), *data = NULL;
	size_t len;
	bool text = read_file(path, &data, &len) == 0 && is_text(data, len);
	free(data);
	free(path);
	return text;
}

/* Reads rel into the test's files, with the local headers it includes. */
int imp_embed(struct wtest *t, const char *rel)
{
	if (imp_find_file(t, rel))
		return 0;
	char *path = path_join(t->im->dir, rel), *data = NULL;
	size_t len;
	int rc = 0;
	if (read_file(path, &data, &len) < 0)
		rc = imp_fail(t, "cannot read %s: %s", path, strerror(errno));
	else if (!is_text(data, len) || !is_text(rel, strlen(rel)) || !name_is_file(rel, false))
		rc = imp_fail(t, "%s is not UTF-8 text with a plain name: a case cannot hold it", rel);
	free(path);
	if (rc < 0) {
		free(data);
		return rc;
	}
	t->files = xrealloc(t->files, (t->nfiles + 1) * sizeof *t->files);
	t->files[t->nfiles++] = (struct wfile){ xstrdup(rel), data, STRVEC_INIT };
	return embed_includes(t, t->nfiles - 1);
}

/* Calls fn for each //#Name:args line of file; arg is NULL without ':'. */
int scan_directives(struct wtest *t, const char *file, directive_fn fn)
{
	const char *p = imp_find_file(t, file)->text, *s;
	size_t n;
	int line = 0, rc = 0;
	while (rc == 0 && imp_next_line(&p, &s, &n)) {
		char *copy = xstrndup(s, n), *d = trim(copy);
		line++;
		if (!strncmp(d, "//#", 3)) {
			char *colon = strchr(d + 3, ':');
			if (colon)
				*colon = 0;
			rc = fn(t, file, line, d + 3, colon ? trim(colon + 1) : NULL);
		}
		free(copy);
	}
	return rc;
}
