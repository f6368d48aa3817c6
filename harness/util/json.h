/* A streaming JSON writer: commas and nesting tracked, strings escaped
 * (bytes that are not valid UTF-8 become U+FFFD), numbers as given. */
#ifndef LM_JSON_H
#define LM_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

struct json {
	struct strbuf *sb;
	int depth;
	bool first[64];   /* nothing written yet at that depth */
	bool key;         /* a key was just written: no comma before the value */
	bool pretty;
};

void json_init(struct json *j, struct strbuf *sb, bool pretty);
void json_obj(struct json *j);
void json_obj_end(struct json *j);
void json_arr(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *k);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
void json_num(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* key + value in one call. */
void json_kstr(struct json *j, const char *k, const char *s);
void json_kint(struct json *j, const char *k, long long v);
void json_kbool(struct json *j, const char *k, bool v);

#endif
