/* A pool of worker threads running a graph of jobs: a job runs once every
 * job it depends on has finished. Jobs that start processes dominate, so a
 * single lock around the ready queues costs nothing measurable. */
#ifndef LM_JOBSCHED_H
#define LM_JOBSCHED_H

#include <stdbool.h>
#include <stddef.h>

struct job {
	void (*run)(struct job *j);
	void *arg;
	bool urgent;              /* taken before non-urgent ready jobs */

	/* the scheduler's */
	size_t waiting;           /* unfinished jobs this one depends on */
	struct job **dependents;
	size_t ndependents, capdependents;
	struct job *next;
};

struct sched;

struct sched *sched_new(int threads);
void sched_free(struct sched *s);

/* j runs after on. Both must be added before sched_run. */
void job_after(struct job *j, struct job *on);
void sched_add(struct sched *s, struct job *j);

/* Runs every job; returns when all are done or sched_stop was called and
 * the running ones have returned. */
void sched_run(struct sched *s);

/* No job starts after this; jobs already running finish. Safe from any
 * worker; not from a signal handler. */
void sched_stop(struct sched *s);
bool sched_stopped(struct sched *s);

#endif
