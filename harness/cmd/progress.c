#include "cmd/progress.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "os/proc.h"
#include "report/tap.h"
#include "results/causes.h"
#include "results/versions.h"

volatile sig_atomic_t run_interrupted;

static void on_signal(int sig)
{
	run_interrupted = sig;
	proc_abort_all(SIGKILL);
}

void run_catch_signals(void)
{
	catch_interrupts(on_signal);
	signal(SIGPIPE, SIG_IGN);
}

void reporter_start(struct reporter *rp, bool tap, bool quiet, enum color color, size_t ntests)
{
	rp->tap_stdout = tap;
	console_init(&rp->con, tap ? stderr : stdout, ntests, quiet || tap, color);
	if (tap)
		fputs(TAP_HEADER, stdout);
}

size_t reporter_bad(const struct reporter *rp)
{
	return rp->counts[OUT_FAIL] + rp->counts[OUT_ERROR] + rp->counts[OUT_TIMEOUT] +
	       rp->counts[OUT_XPASS];
}

bool reporter_hit_max(const struct reporter *rp)
{
	return rp->max_failures && reporter_bad(rp) >= (size_t)rp->max_failures;
}

static void tap_test(struct reporter *rp, const struct test *t)
{
	struct report one = { 0 };
	struct record rec;
	record_from_test(&one, &rec, t);
	struct strbuf sb = STRBUF_INIT;
	tap_point(&sb, rp->n, &rec, rp->verdict);
	fputs(sb.buf, stdout);
	fflush(stdout);
	sb_free(&sb);
	report_free(&one);
}

void reporter_test(struct test *t, void *arg)
{
	struct reporter *rp = arg;
	pthread_mutex_lock(&rp->lock);
	/* After an interrupt, what the killed children did means nothing. */
	if (!run_interrupted) {
		rp->n++;
		rp->counts[t->res.outcome]++;
		if (rp->tap_stdout)
			tap_test(rp, t);
		console_result(&rp->con, t);
		rp->stopped |= reporter_hit_max(rp);
	} else {
		t->done = false;   /* not in the reports either */
		rp->stopped = true;
	}
	if (rp->stopped && rp->sched)
		sched_stop(rp->sched);
	pthread_mutex_unlock(&rp->lock);
}

void reporter_sched(struct reporter *rp, struct sched *sc)
{
	pthread_mutex_lock(&rp->lock);
	rp->sched = sc;
	if (sc && rp->stopped)
		sched_stop(sc);
	pthread_mutex_unlock(&rp->lock);
}

FILE *reporter_end(struct reporter *rp, const char *incomplete)
{
	console_clear(&rp->con);
	if (rp->tap_stdout)
		printf("1..%zu\n%s%s%s", rp->n, incomplete ? "# incomplete: " : "",
		       incomplete ? incomplete : "", incomplete ? "\n" : "");
	return rp->tap_stdout ? stderr : stdout;
}

void summary_counts(FILE *f, const struct reporter *rp)
{
	fprintf(f, "linkmatrix: %zu tests:", rp->n);
	for (int o = 0; o < OUT_COUNT; o++)
		fprintf(f, "%s %zu %s", o ? "," : "", rp->counts[o], outcome_name((enum outcome)o));
	fputc('\n', f);
}

char *reporter_incomplete(const struct reporter *rp, size_t ntests)
{
	if (run_interrupted)
		return xasprintf("interrupted by %s", signal_name(run_interrupted));
	if (reporter_hit_max(rp) && rp->n < ntests)
		return xasprintf("stopped after %zu failures (--max-failures %ld); %zu tests not run",
				 reporter_bad(rp), rp->max_failures, ntests - rp->n);
	return NULL;
}

/* Ids shown of a cause: a summary read at a glance; run --failed reruns
 * them all. */
enum { CAUSE_IDS = 10 };

void summary_causes(FILE *f, const struct report *r)
{
	struct causes cs = { 0 };
	struct record_iter it;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it))
		causes_add(&cs, rec);
	report_iter_end(&it);
	causes_sort(&cs);
	console_causes(f, &cs, CAUSE_IDS);
	causes_free(&cs);
}

/* User and system CPU seconds of who. */
static double cpu_seconds(int who, double *sys)
{
	struct rusage ru;
	getrusage(who, &ru);
	*sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + *sys;
}

void summary_costs(FILE *f, double wall)
{
	double sys, ksys, self = cpu_seconds(RUSAGE_SELF, &sys), kids = cpu_seconds(RUSAGE_CHILDREN, &ksys);
	/* ru_maxrss is KiB on Linux and the BSDs; RUSAGE_SELF leaves the
	 * children's out. */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, "linkmatrix: %.1f s wall; harness CPU %.2f s (%.2f s in the kernel) = %.2f%% "
		"of its children's %.1f s; harness peak RSS %.1f MB\n", wall, self, sys,
		kids > 0 ? 100.0 * self / kids : 0.0, kids, (double)ru.ru_maxrss / 1024);
}

void summary_reports(FILE *f, const char *dir, const char *incomplete)
{
	fprintf(f, "linkmatrix: reports in %s/ (index.html, results.json, results.tap, junit.xml, "
		"junit-ant.xml)%s\n", dir, run_interrupted ? " (interrupted: incomplete)"
		: incomplete ? " (incomplete)" : "");
}

void summary_versions(FILE *f, const struct report *r)
{
	struct strbuf sb = STRBUF_INIT;
	report_version_changes(r, &sb);
	size_t n = 0;
	for (size_t i = 0; i < sb.len; i++)
		n += sb.buf[i] == '\n';
	if (n)
		fprintf(f, "linkmatrix: where versions of a linker differ (%zu):\n", n);
	for (const char *line = sb.buf; n && *line;) {
		const char *nl = strchr(line, '\n');
		fprintf(f, "  %.*s\n", (int)(nl - line), line);
		line = nl + 1;
	}
	sb_free(&sb);
}

/* As lit's --time-tests. */
enum { SLOWEST = 20 };

void summary_times(FILE *f, const struct report *r, bool table, bool slowest)
{
	if (!table && !slowest)
		return;
	struct link_times lt = { 0 };
	struct slowest sl;
	slowest_init(&sl, SLOWEST);
	struct record_iter it;
	for (const struct record *rec = report_first(&it, r); rec; rec = report_next(&it)) {
		link_times_add(&lt, rec);
		slowest_add(&sl, rec);
	}
	report_iter_end(&it);
	link_times_finish(&lt);
	if (table)
		console_link_times(f, &lt);
	if (slowest)
		console_slowest(f, &sl);
	link_times_free(&lt);
	slowest_free(&sl);
}

char *iso_now(void)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}
