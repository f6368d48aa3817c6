#include "util/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void json_init(struct json *j, struct strbuf *sb, bool pretty)
{
	memset(j, 0, sizeof *j);
	j->sb = sb;
	j->first[0] = true;
	j->pretty = pretty;
}

static void indent(struct json *j)
{
	if (!j->pretty)
		return;
	sb_addc(j->sb, '\n');
	for (int i = 0; i < j->depth; i++)
		sb_adds(j->sb, "  ");
}

/* Before a value or a key: the comma and the line break it needs. */
static void sep(struct json *j)
{
	if (j->key) {
		j->key = false;
		return;
	}
	if (!j->first[j->depth])
		sb_addc(j->sb, ',');
	j->first[j->depth] = false;
	if (j->depth)
		indent(j);
}

static void push(struct json *j, char c)
{
	sep(j);
	sb_addc(j->sb, c);
	if (j->depth < (int)sizeof j->first - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void pop(struct json *j, char c)
{
	bool empty = j->first[j->depth];
	if (j->depth)
		j->depth--;
	if (!empty)
		indent(j);
	sb_addc(j->sb, c);
}

void json_obj(struct json *j) { push(j, '{'); }
void json_obj_end(struct json *j) { pop(j, '}'); }
void json_arr(struct json *j) { push(j, '['); }
void json_arr_end(struct json *j) { pop(j, ']'); }

static void put_string(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	sb_addc(sb, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			sb_addc(sb, '\\'), sb_addc(sb, (char)c), i++;
		} else if (c == '\n') {
			sb_adds(sb, "\\n"), i++;
		} else if (c == '\t') {
			sb_adds(sb, "\\t"), i++;
		} else if (c == '\r') {
			sb_adds(sb, "\\r"), i++;
		} else if (c < 0x20 || c == 0x7f) {
			sb_addf(sb, "\\u%04x", c), i++;
		} else {
			size_t len = utf8_seq_len(p + i, n - i);
			if (len)
				sb_add(sb, p + i, len), i += len;
			else
				sb_adds(sb, "\\ufffd"), i++;
		}
	}
	sb_addc(sb, '"');
}

void json_key(struct json *j, const char *k)
{
	sep(j);
	put_string(j->sb, k, strlen(k));
	sb_adds(j->sb, j->pretty ? ": " : ":");
	j->key = true;
}

void json_strn(struct json *j, const char *s, size_t n)
{
	sep(j);
	put_string(j->sb, s, n);
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_strn(j, s, strlen(s));
}

void json_int(struct json *j, long long v) { sep(j); sb_addf(j->sb, "%lld", v); }
void json_uint(struct json *j, unsigned long long v) { sep(j); sb_addf(j->sb, "%llu", v); }
void json_bool(struct json *j, bool v) { sep(j); sb_adds(j->sb, v ? "true" : "false"); }
void json_null(struct json *j) { sep(j); sb_adds(j->sb, "null"); }

void json_num(struct json *j, double v)
{
	sep(j);
	if (isfinite(v))
		sb_addf(j->sb, "%.6g", v);
	else
		sb_adds(j->sb, "null");
}

void json_kstr(struct json *j, const char *k, const char *s) { json_key(j, k); json_str(j, s); }
void json_kint(struct json *j, const char *k, long long v) { json_key(j, k); json_int(j, v); }
void json_kbool(struct json *j, const char *k, bool v) { json_key(j, k); json_bool(j, v); }
