/*
 * The query workers: a pool of threads, each with its own read-only
 * struct larch_store (a store is used by one thread at a time), so a slow
 * query holds up one worker and never the event loop.
 *
 * The event loop fills a struct job and pushes it; a worker runs the
 * command's handler, which writes the whole reply (status line and block)
 * into job->out, and hands the job back to the loop through a libevent
 * event that it activates as its last touch of the job.  The loop's done
 * callback then owns the job again.
 *
 * A worker's store is opened at its first job, reopened before every job
 * (a few microseconds when nothing changed; a commit of larch-index shows
 * in the next answer, on every worker), and opened afresh when the
 * generation changes (SIGHUP) or the index folder is another one.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_WORKERS_H
#define LARCHD_WORKERS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "larch/proto.h"
#include "larch/store.h"

struct event_base;
struct event;
struct command;
struct workers;

/* Figures only the event loop knows, copied for STATS. */
struct job_figures {
	unsigned connections;
	uint64_t served;
	int64_t uptime;		/* seconds */
	unsigned workers;
};

struct job {
	/* Set by the loop before workers_push(); read-only in the worker. */
	const struct command *command;
	struct larch_proto_request *req;	/* owned */
	enum larch_proto_format format;
	char **hidden;		/* lists not to show, NULL-terminated; owned */
	char *index;		/* the index folder; owned */
	unsigned gen;		/* workers_generation() at dispatch */
	unsigned time_limit_ms;
	uint64_t raw_max;
	struct job_figures figures;
	void *owner;		/* the connection; the loop's business */
	/* Set (atomically) by the loop when nobody will read the answer
	 * any more; a worker then skips the job if it has not started. */
	gint abandoned;

	/* Set by the worker. */
	GString *out;		/* the whole reply */
	char *error;		/* handler's detail for the error reply */
	int64_t queued, started, finished;	/* monotonic, microseconds */

	/* Private to workers.c. */
	struct event *done_ev;
	void (*done_fn)(struct job *job);
};

/*
 * A new pool of n threads (n >= 1) on base.  done is called on the loop's
 * thread, from base, with each finished job; it owns the job then.
 */
struct workers *workers_new(struct event_base *base, unsigned n,
    void (*done)(struct job *job));

/*
 * Stops the pool: jobs not yet started are dropped (their owners free
 * them, the done callback is not called), running ones are waited for,
 * and the threads' exits (5 s at most), then the stores are closed.
 * Accepts NULL.
 */
void workers_free(struct workers *workers);

/* A job with its reply buffer, queued time and nothing else set. */
struct job *job_new(void);
/* Frees the job and everything it owns; accepts NULL. */
void job_free(struct job *job);

/* Queues job.  The loop must not touch it until done is called, except
 * through workers_abandon(). */
void workers_push(struct workers *workers, struct job *job);

/*
 * Says that job's answer will never be sent (its client went away): if
 * no worker has started it yet, none will, and done gets it back with an
 * empty answer.  Callable from the loop at any time while job is queued.
 */
void workers_abandon(struct job *job);

/* The current generation, to put in job->gen. */
unsigned workers_generation(struct workers *workers);
/* Makes every worker open its store afresh at its next job (SIGHUP). */
void workers_bump_generation(struct workers *workers);

unsigned workers_count(const struct workers *workers);

#endif
