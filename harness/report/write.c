#include "report/write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/junit.h"
#include "report/results.h"
#include "tap.h"

static const struct {
	const char *name;
	void (*write)(const struct report *r, struct strbuf *sb);
} formats[] = {
	{ "results.json", report_write_json },
	{ "junit.xml", report_write_junit },
	{ "results.tap", report_write_tap },
	{ "index.html", report_write_html },
};

int reports_write(const char *dir, const struct report *r, struct strbuf *err)
{
	int rc = 0;
	for (size_t i = 0; i < ARRAY_LEN(formats); i++) {
		struct strbuf sb = STRBUF_INIT;
		formats[i].write(r, &sb);
		char *path = path_join(dir, formats[i].name);
		if (write_file_atomic(path, sb.buf, sb.len) < 0 && rc == 0) {
			sb_addf(err, "cannot write %s: %s", path, strerror(errno));
			rc = -1;
		}
		free(path);
		sb_free(&sb);
	}
	return rc;
}
