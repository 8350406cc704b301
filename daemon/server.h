/*
 * The server: the event loop, its listeners and signals, the set of
 * connections and the worker pool.  Everything in it is touched only from
 * the loop's thread.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_SERVER_H
#define LARCHD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "config.h"
#include "log_burst.h"

struct event_base;
struct event;
struct workers;
struct conn;

/* Reads the configuration again (SIGHUP): a new one, or NULL and *error. */
typedef struct larchd_config *(*server_reload_fn)(char **error);

struct server {
	struct event_base *base;
	struct larchd_config *config;	/* the current one; owned */
	server_reload_fn reload;
	GPtrArray *sockets;	/* struct listen_socket *; owned */
	GPtrArray *listeners;	/* struct evconnlistener * */
	GQueue conns;		/* struct conn *, linked by conn->link */
	unsigned n_open;	/* connections not yet closed */
	unsigned next_id;
	uint64_t served;	/* requests answered */
	uint64_t output_held;	/* bytes waiting in every connection's
				 * output, for the output_budget */
	uint64_t accepted;
	int64_t auth_window_start;	/* AUTH rejections this minute */
	unsigned auth_window_fails;
	/* Warnings a client can cause at will, capped in the log. */
	struct log_burst refusals_logged, auth_lockouts_logged;
	int64_t started;	/* monotonic, microseconds */
	struct workers *workers;
	bool stopping;
	struct event *sig_hup, *sig_term, *sig_int;
	struct event *stop_timer;	/* the bounded wait at shutdown */
	struct event *accept_timer;	/* re-enables accepting after EMFILE */
};

/*
 * Serves on sockets (struct listen_socket *, taken over) with config
 * (taken over) until SIGTERM or SIGINT.  Returns the exit status.
 */
int server_run(struct larchd_config *config, GPtrArray *sockets,
    server_reload_fn reload);

/* conn.c tells the server a connection closed or is gone for good. */
void server_conn_closed(struct server *srv, struct conn *conn);
void server_conn_freed(struct server *srv, struct conn *conn);

/* The list names a connection may not see, NULL-terminated, or NULL for
 * none.  Caller g_strfreev()s. */
char **server_hidden_lists(const struct server *srv, const struct conn *conn);

#endif
