#include "os/jobsched.h"

#include <pthread.h>
#include <stdlib.h>

#include "util/util.h"

struct queue {
	struct job *head, *tail;
};

struct sched {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct queue urgent, normal;
	struct job **all;
	size_t nall, capall;
	size_t unfinished;
	int threads;
	bool stopped;
};

struct sched *sched_new(int threads)
{
	struct sched *s = xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->threads = threads > 0 ? threads : 1;
	return s;
}

void sched_free(struct sched *s)
{
	for (size_t i = 0; i < s->nall; i++)
		free(s->all[i]->dependents);
	free(s->all);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

void job_after(struct job *j, struct job *on)
{
	if (on->ndependents == on->capdependents) {
		on->capdependents = on->capdependents ? on->capdependents * 2 : 4;
		on->dependents = xrealloc(on->dependents,
					  on->capdependents * sizeof *on->dependents);
	}
	on->dependents[on->ndependents++] = j;
	j->waiting++;
}

void sched_add(struct sched *s, struct job *j)
{
	if (s->nall == s->capall) {
		s->capall = s->capall ? s->capall * 2 : 64;
		s->all = xrealloc(s->all, s->capall * sizeof *s->all);
	}
	s->all[s->nall++] = j;
}

static void push(struct sched *s, struct job *j)
{
	struct queue *q = j->urgent ? &s->urgent : &s->normal;
	j->next = NULL;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
}

static struct job *pop(struct queue *q)
{
	struct job *j = q->head;
	if (j) {
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
	}
	return j;
}

static void *worker(void *arg)
{
	struct sched *s = arg;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		struct job *j = NULL;
		while (!s->stopped && s->unfinished && !(j = pop(&s->urgent)) &&
		       !(j = pop(&s->normal)))
			pthread_cond_wait(&s->cond, &s->lock);
		if (!j)
			break;
		pthread_mutex_unlock(&s->lock);
		j->run(j);
		pthread_mutex_lock(&s->lock);
		s->unfinished--;
		for (size_t i = 0; i < j->ndependents; i++)
			if (--j->dependents[i]->waiting == 0)
				push(s, j->dependents[i]);
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

void sched_run(struct sched *s)
{
	s->unfinished = s->nall;
	for (size_t i = 0; i < s->nall; i++)
		if (s->all[i]->waiting == 0)
			push(s, s->all[i]);
	pthread_t *tids = xcalloc((size_t)s->threads, sizeof *tids);
	int started = 0;
	while (started < s->threads && pthread_create(&tids[started], NULL, worker, s) == 0)
		started++;
	if (!started)   /* no thread could be made: run the jobs here */
		worker(s);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
}

void sched_stop(struct sched *s)
{
	pthread_mutex_lock(&s->lock);
	s->stopped = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

bool sched_stopped(struct sched *s)
{
	pthread_mutex_lock(&s->lock);
	bool r = s->stopped;
	pthread_mutex_unlock(&s->lock);
	return r;
}
