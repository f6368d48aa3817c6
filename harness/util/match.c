#include "util/match.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

struct regex {
	pcre2_code *code;
	char *src;
};

struct regex *regex_compile(const char *pattern, struct strbuf *err)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				      PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
				      &code, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		sb_addf(err, "bad regular expression '%s': %s at offset %zu",
			pattern, (const char *)msg, (size_t)off);
		return NULL;
	}
	struct regex *re = xmalloc(sizeof *re);
	re->code = c;
	re->src = xstrdup(pattern);
	return re;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re->src);
	free(re);
}

const char *regex_source(const struct regex *re)
{
	return re->src;
}

bool regex_match(const struct regex *re, const char *subject, size_t len, char **cap1)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!md)
		return false;
	int rc = pcre2_match(re->code, (PCRE2_SPTR)(subject ? subject : ""), subject ? len : 0,
			     0, 0, md, NULL);
	if (cap1) {
		*cap1 = NULL;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (rc > 1 && ov[2] != PCRE2_UNSET)
			*cap1 = xstrndup(subject + ov[2], ov[3] - ov[2]);
	}
	pcre2_match_data_free(md);
	return rc > 0;
}
