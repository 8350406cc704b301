/*
 * One client connection: a bufferevent, the requests it has sent and not
 * yet been answered (a bounded FIFO), at most one query in flight on the
 * workers, and its settings (FORMAT, unlocked private lists).
 *
 * Requests are answered strictly in order: a cheap command waits behind a
 * query that came before it.  Reading pauses while the FIFO is full or
 * more than output_high_water bytes wait to be sent, and resumes when
 * that changes.  The connection closes only once its output has drained.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_CONN_H
#define LARCHD_CONN_H

#include <stdbool.h>
#include <glib.h>

#include "larch/proto.h"

struct server;
struct bufferevent;
struct event;
struct job;

/* Changed only by conn_set_state() in conn.c. */
enum conn_state {
	CONN_READING,	/* taking requests */
	CONN_THROTTLED,	/* not reading: FIFO full, output above high water,
			 * end of input or shutting down */
	CONN_DRAINING,	/* no more requests; close once output is sent */
	CONN_CLOSED,	/* socket gone; freed once no job refers to it */
};

struct evbuffer_cb_entry;

struct conn {
	struct server *srv;
	unsigned id;		/* for logs */
	char *peer;		/* for logs */
	enum conn_state state;
	struct bufferevent *bev;	/* NULL once closed */
	struct evbuffer_cb_entry *counted;	/* its output in
					 * srv->output_held */
	struct event *resume;	/* serve more later (budget used up) */
	GQueue pending;		/* struct larch_proto_request *, in order */
	struct job *job;	/* the query in flight, or NULL */
	enum larch_proto_format format;
	bool discarding;	/* inside an over-long line */
	bool eof;		/* the client sent its last byte */
	bool stopping;		/* the server is shutting down */
	bool quit;		/* QUIT answered: close after the output */
	GList link;		/* in srv->conns */
	GPtrArray *proven;	/* char *: token digests AUTH accepted */
	unsigned auth_failures;
	int64_t hold_until;	/* monotonic us: serve nothing before */
	int64_t line_since;	/* monotonic us: when the unfinished request
				 * line began; 0 when there is none */
};

/*
 * Takes over an accepted socket: greets it and starts serving, or, when
 * refuse is set, says "400 too many connections" and closes.  NULL (the
 * socket closed) when libevent cannot take it.
 */
struct conn *conn_new(struct server *srv, int fd, const char *peer,
    bool refuse);

/* Sets conn's idle timeout and read limit from the server's configuration
 * of the moment: at its start, and for every open connection when SIGHUP
 * changed it. */
void conn_apply_config(struct conn *conn);

/* Shutdown: read nothing more, answer what was received, then close. */
void conn_stop(struct conn *conn);

/*
 * Frees the connection whatever its state, its job included: only for
 * the server's teardown once the workers have stopped.
 */
void conn_free(struct conn *conn);

/* The workers' done callback: writes the job's reply, serves on. */
void conn_job_done(struct job *job);

#endif
