/* A minimal TAP 14 producer for the unit tests, read by prove(1).
 * Each test file is one program; ok() records a test point and returns
 * its truth so a test can stop early on a failed precondition. */
#ifndef LM_TEST_TAP_H
#define LM_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("  ---\n  at: %s:%d\n  ...\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, name) \
	do { long long g_ = (got), w_ = (want); \
	     if (!ok(g_ == w_, "%s", name)) fprintf(stderr, "# got %lld, want %lld\n", g_, w_); } while (0)
#define is_str(got, want, name) \
	do { const char *g_ = (got), *w_ = (want); \
	     if (!ok(g_ && w_ && strcmp(g_, w_) == 0, "%s", name)) \
	         fprintf(stderr, "# got '%s', want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } while (0)

static void tap_start(void) { printf("TAP version 13\n"); }
static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
