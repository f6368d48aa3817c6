#include "report/write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/junit.h"
#include "report/tap.h"
#include "results/results.h"

static const struct {
	const char *name;
	void (*write)(const struct report *r, struct report_sink *s);
} formats[] = {
	{ "results.json", report_stream_json },
	{ "junit.xml", report_stream_junit },
	{ "junit-ant.xml", report_stream_junit_ant },
	{ "results.tap", report_stream_tap },
	{ "index.html", report_stream_html },
};

static int write_one(const char *path, const struct report *r, size_t i)
{
	char *tmp;
	int fd = atomic_open(path, &tmp);
	if (fd < 0)
		return -1;
	struct strbuf sb = STRBUF_INIT;
	struct report_sink s = { &sb, fd, 0 };
	formats[i].write(r, &s);
	if (!s.err && write_all(fd, sb.buf, sb.len) < 0)
		s.err = errno;
	sb_free(&sb);
	int rc = atomic_commit(fd, tmp, path, !s.err, true);
	if (s.err)
		errno = s.err;
	return rc;
}

int reports_write(const char *dir, const struct report *r, struct strbuf *err)
{
	int rc = 0;
	if (r->spool && (fflush(r->spool) != 0 || r->spool_err)) {
		sb_addf(err, "cannot write the run's records in %s: %s", dir,
			strerror(r->spool_err ? r->spool_err : errno));
		return -1;
	}
	for (size_t i = 0; i < ARRAY_LEN(formats); i++) {
		char *path = path_join(dir, formats[i].name);
		if (write_one(path, r, i) < 0 && rc == 0) {
			sb_addf(err, "cannot write %s: %s", path, strerror(errno));
			rc = -1;
		}
		free(path);
	}
	return rc;
}
