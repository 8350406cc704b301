/*
 * The query worker pool; see workers.h.
 *
 * Owner: the daemon engineer.
 */
#include <string.h>

#include <event2/event.h>

#include "commands.h"
#include "larch/log.h"
#include "workers.h"

/* One worker thread's store.  Created by the thread at its first job;
 * closed by workers_free() once no thread runs jobs. */
struct slot {
	struct larch_store *store;
	char *index;
	unsigned gen;
	struct workers *owner;
};

struct workers {
	GThreadPool *pool;
	struct event_base *base;
	void (*done)(struct job *job);
	unsigned n;
	gint gen;		/* atomic */
	GMutex lock;		/* guards slots and exited */
	GCond gone;		/* a thread with a slot has exited */
	GPtrArray *slots;	/* struct slot *, every one made */
	unsigned exited;	/* threads with a slot that have exited */
};

/* How long workers_free() waits for the threads to be gone. */
#define EXIT_WAIT_US (5 * G_USEC_PER_SEC)

static void slot_thread_exit(gpointer data);
static GPrivate slot_key = G_PRIVATE_INIT(slot_thread_exit);

struct job *
job_new(void)
{
	struct job *job = g_new0(struct job, 1);

	job->out = g_string_sized_new(1024);
	job->queued = g_get_monotonic_time();
	return job;
}

void
job_free(struct job *job)
{
	if (job == NULL)
		return;
	if (job->req != NULL) {
		larch_proto_request_release(job->req);
		g_free(job->req);
	}
	g_strfreev(job->hidden);
	g_free(job->index);
	g_free(job->error);
	if (job->out != NULL)
		g_string_free(job->out, TRUE);
	if (job->done_ev != NULL)
		event_free(job->done_ev);
	g_free(job);
}

static void
slot_close(struct slot *slot)
{
	larch_store_close(slot->store);
	slot->store = NULL;
	g_clear_pointer(&slot->index, g_free);
}

/* Opens the store of job->index into the slot. */
static enum larch_status
slot_open(struct slot *slot, const struct job *job)
{
	enum larch_status st;

	slot_close(slot);
	st = larch_store_open(job->index, LARCH_STORE_READ, &slot->store);
	if (st != LARCH_OK) {
		log_warnx("cannot open index '%s': %s", job->index,
		    slot->store != NULL ? larch_store_error(slot->store) :
		    larch_status_str(st));
		slot_close(slot);
		return st;
	}
	slot->index = g_strdup(job->index);
	slot->gen = job->gen;
	return LARCH_OK;
}

/*
 * Makes the slot's store fit for job: open, and at the latest commit.
 * Every job reopens: when nothing changed that costs about 3 us (measured
 * on the sample index), and it makes what one connection has seen visible
 * to every later query on any worker.  Reopening only every 250 ms would
 * let a worker that reopened just before a commit answer from the older
 * index after another worker had already shown the new mail.
 */
static enum larch_status
slot_ready(struct slot *slot, const struct job *job)
{
	enum larch_status st;

	if (slot->store == NULL || slot->gen != job->gen ||
	    strcmp(slot->index, job->index) != 0)
		return slot_open(slot, job);
	st = larch_store_reopen(slot->store);
	if (st == LARCH_OK)
		return LARCH_OK;
	/* Whatever happened (the index replaced, a shard added), a fresh
	 * open is the way back. */
	log_info("reopening index '%s' afresh: %s", job->index,
	    larch_store_error(slot->store));
	return slot_open(slot, job);
}

/* The error reply for a failed handler; see docs/protocol.md section 4. */
static void
reply_error(struct job *job, struct larch_store *store,
    enum larch_status st)
{
	const char *name = job->req->cmd_name;

	g_string_truncate(job->out, 0);
	switch (st) {
	case LARCH_ERR_PARSE:
		/* The store's text is "OFFSET: reason". */
		larch_proto_append_status(job->out, 505, store != NULL ?
		    larch_store_error(store) : "0: bad query");
		return;
	case LARCH_ERR_NOT_FOUND:
		larch_proto_append_status(job->out, 430, job->error != NULL ?
		    job->error : "not found");
		return;
	case LARCH_ERR_MODIFIED:
		larch_proto_append_status(job->out, 431,
		    "index being reopened, retry");
		return;
	case LARCH_ERR_TIMEOUT:
		larch_proto_append_statusf(job->out, 432, "query timed out "
		    "after %u ms", job->time_limit_ms);
		return;
	case LARCH_ERR_TOO_BIG:
		larch_proto_append_status(job->out, 503, job->error != NULL ?
		    job->error : "answer too large");
		return;
	case LARCH_ERR_INVALID:
		/* A handler that found the argument bad said why. */
		if (job->error != NULL) {
			larch_proto_append_status(job->out, 504, job->error);
			return;
		}
		/* fall through */
	case LARCH_ERR_IO:
		/* RAW: no copy of the message can be read any more; any
		 * command: the index cannot be opened. */
		if (st == LARCH_ERR_IO && job->error != NULL) {
			larch_proto_append_status(job->out, 403, job->error);
			return;
		}
		/* fall through */
	default:
		log_warnx("%s failed: %s: %s", name, larch_status_str(st),
		    job->error != NULL ? job->error : store != NULL ?
		    larch_store_error(store) : "no index");
		larch_proto_append_statusf(job->out, 403, "internal fault: %s",
		    larch_status_str(st));
		return;
	}
}

/*
 * GLib calls this as a thread that made a slot exits, after its C++
 * thread_local objects (the snippets' stemmer) are destroyed.  The slot
 * itself stays for workers_free() to close.
 */
static void
slot_thread_exit(gpointer data)
{
	struct slot *slot = data;
	struct workers *w = slot->owner;

	g_mutex_lock(&w->lock);
	w->exited++;
	g_cond_broadcast(&w->gone);
	g_mutex_unlock(&w->lock);
}

static void
run_job(gpointer data, gpointer user_data)
{
	struct job *job = data;
	struct workers *w = user_data;
	struct slot *slot = g_private_get(&slot_key);
	enum larch_status st;

	if (slot == NULL) {
		slot = g_new0(struct slot, 1);
		slot->owner = w;
		g_mutex_lock(&w->lock);
		g_ptr_array_add(w->slots, slot);
		g_mutex_unlock(&w->lock);
		g_private_set(&slot_key, slot);
	}
	job->started = g_get_monotonic_time();
	if (g_atomic_int_get(&job->abandoned)) {
		/* Its client is gone: a queue of such jobs (a client sending
		 * slow queries and hanging up at once, over and over) would
		 * otherwise keep every worker from the clients still there. */
		st = LARCH_OK;
	} else if ((st = slot_ready(slot, job)) != LARCH_OK) {
		/* Not "not found": the index itself is gone or broken (it
		 * is being rebuilt, say).  The log names it and says why. */
		g_free(job->error);
		job->error = g_strdup("the index cannot be opened now; "
		    "the server's log says why");
		st = LARCH_ERR_IO;
	} else {
		st = job->command->run(job, slot->store);
	}
	if (st == LARCH_ERR_MODIFIED) {
		/* The store already retried once; a fresh view may do. */
		g_string_truncate(job->out, 0);
		g_clear_pointer(&job->error, g_free);
		st = larch_store_reopen(slot->store);
		if (st == LARCH_OK)
			st = job->command->run(job, slot->store);
	}
	if (st != LARCH_OK)
		reply_error(job, slot->store, st);
	job->finished = g_get_monotonic_time();
	/* The last touch: from here the loop owns the job. */
	event_active(job->done_ev, EV_TIMEOUT, 1);
}

static void
on_done(evutil_socket_t fd, short what, void *arg)
{
	struct job *job = arg;

	(void)fd;
	(void)what;
	job->done_fn(job);
}

struct workers *
workers_new(struct event_base *base, unsigned n, void (*done)(struct job *))
{
	struct workers *w = g_new0(struct workers, 1);
	GError *err = NULL;

	g_assert(n >= 1);
	w->base = base;
	w->done = done;
	w->n = n;
	g_mutex_init(&w->lock);
	g_cond_init(&w->gone);
	w->slots = g_ptr_array_new();
	/* Exclusive threads live as long as the pool, so a slot's store is
	 * never left behind by a thread that went away. */
	w->pool = g_thread_pool_new(run_job, w, (gint)n, TRUE, &err);
	if (w->pool == NULL)
		g_error("cannot start %u worker threads: %s", n, err->message);
	return w;
}

void
workers_free(struct workers *w)
{
	int64_t deadline = g_get_monotonic_time() + EXIT_WAIT_US;
	unsigned left;

	if (w == NULL)
		return;
	/* Threads of a freed pool would otherwise wait in GLib's global
	 * pool of unused threads (15 s by default) instead of exiting. */
	g_thread_pool_set_max_unused_threads(0);
	g_thread_pool_free(w->pool, TRUE, TRUE);
	/* GLib has told the threads to stop but does not join them: wait
	 * until each has exited, so that nothing of theirs (a thread_local
	 * stemmer, a store in use) outlives this function and the exit. */
	g_mutex_lock(&w->lock);
	while (w->exited < w->slots->len &&
	    g_cond_wait_until(&w->gone, &w->lock, deadline))
		;
	left = w->slots->len - w->exited;
	g_mutex_unlock(&w->lock);
	if (left > 0) {
		/* A thread that has not gone still refers to w and to its
		 * store: both are left to the process's exit. */
		log_warnx("%u worker threads did not stop; exiting anyway",
		    left);
		return;
	}
	for (guint i = 0; i < w->slots->len; i++) {
		struct slot *slot = w->slots->pdata[i];

		slot_close(slot);
		g_free(slot);
	}
	g_ptr_array_unref(w->slots);
	g_cond_clear(&w->gone);
	g_mutex_clear(&w->lock);
	g_free(w);
}

void
workers_abandon(struct job *job)
{
	g_atomic_int_set(&job->abandoned, 1);
}

void
workers_push(struct workers *w, struct job *job)
{
	g_assert(job->done_ev == NULL);
	job->done_ev = event_new(w->base, -1, 0, on_done, job);
	job->done_fn = w->done;
	g_thread_pool_push(w->pool, job, NULL);
}

unsigned
workers_generation(struct workers *w)
{
	return (unsigned)g_atomic_int_get(&w->gen);
}

void
workers_bump_generation(struct workers *w)
{
	g_atomic_int_inc(&w->gen);
}

unsigned
workers_count(const struct workers *w)
{
	return w->n;
}
