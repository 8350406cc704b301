/*
 * The server: listeners, signals, connections and workers on one event
 * loop; see server.h.
 *
 * Owner: the daemon engineer.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netdb.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>

#include "auth.h"
#include "conn.h"
#include "index_reads.h"
#include "larch/log.h"
#include "larch/search.h"
#include "listen.h"
#include "server.h"
#include "workers.h"

/* How long accepting pauses after running out of file descriptors. */
#define ACCEPT_PAUSE_MS 1000

static struct timeval
ms_timeval(unsigned ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	return tv;
}

static void
set_accepting(struct server *srv, bool on)
{
	for (guint i = 0; i < srv->listeners->len; i++) {
		if (on)
			evconnlistener_enable(srv->listeners->pdata[i]);
		else
			evconnlistener_disable(srv->listeners->pdata[i]);
	}
}

static char *
peer_name(const struct sockaddr *sa, int len)
{
	char host[NI_MAXHOST], port[NI_MAXSERV];

	if (sa->sa_family == AF_UNIX)
		return g_strdup("unix");
	if (getnameinfo(sa, (socklen_t)len, host, sizeof(host), port,
	    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return g_strdup("?");
	if (sa->sa_family == AF_INET6)
		return g_strdup_printf("[%s]:%s", host, port);
	return g_strdup_printf("%s:%s", host, port);
}

static void
on_accept(struct evconnlistener *listener, evutil_socket_t fd,
    struct sockaddr *sa, int len, void *arg)
{
	struct server *srv = arg;
	char *peer = peer_name(sa, len);
	bool refuse = srv->n_open >= srv->config->max_connections;
	uint64_t unlogged;

	srv->accepted++;
	if (!refuse) {
		log_debug("conn %u: from %s", srv->next_id + 1, peer);
	} else if (log_burst_allow(&srv->refusals_logged,
	    g_get_monotonic_time(), &unlogged)) {
		char note[LOG_BURST_NOTE_MAX];

		log_warnx("refusing connection from %s: %u connections "
		    "open%s", peer, srv->n_open, log_burst_note(unlogged,
		    note));
	}
	conn_new(srv, fd, peer, refuse);
	g_free(peer);
}

static void
on_accept_again(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;

	if (!srv->stopping)
		set_accepting(srv, true);
}

static void
on_accept_error(struct evconnlistener *listener, void *arg)
{
	struct server *srv = arg;
	int err = EVUTIL_SOCKET_ERROR();
	struct timeval tv = ms_timeval(ACCEPT_PAUSE_MS);

	log_warnx("cannot accept a connection: %s",
	    evutil_socket_error_to_string(err));
	/* Out of descriptors: accept() would fail again at once and spin
	 * the loop; pause until some connection has closed. */
	if (err == EMFILE || err == ENFILE || err == ENOBUFS ||
	    err == ENOMEM) {
		set_accepting(srv, false);
		evtimer_add(srv->accept_timer, &tv);
	}
}

char **
server_hidden_lists(const struct server *srv, const struct conn *conn)
{
	GPtrArray *hidden;

	if (srv->config->private_lists->len == 0)
		return NULL;
	hidden = g_ptr_array_new();
	for (guint i = 0; i < srv->config->private_lists->len; i++) {
		const struct larchd_private_list *l =
		    srv->config->private_lists->pdata[i];

		if (!auth_is_unlocked(conn, l))
			g_ptr_array_add(hidden, g_strdup(l->name));
	}
	if (hidden->len == 0) {
		g_ptr_array_unref(hidden);
		return NULL;
	}
	g_ptr_array_add(hidden, NULL);
	return (char **)g_ptr_array_free(hidden, FALSE);
}

static void
stop_loop_if_done(struct server *srv)
{
	if (srv->stopping && g_queue_is_empty(&srv->conns))
		event_base_loopexit(srv->base, NULL);
}

void
server_conn_closed(struct server *srv, struct conn *conn)
{
	g_assert(srv->n_open > 0);
	srv->n_open--;
}

void
server_conn_freed(struct server *srv, struct conn *conn)
{
	g_queue_unlink(&srv->conns, &conn->link);
	stop_loop_if_done(srv);
}

static bool
same_strings(const GPtrArray *a, const GPtrArray *b)
{
	if (a->len != b->len)
		return false;
	for (guint i = 0; i < a->len; i++)
		if (strcmp(a->pdata[i], b->pdata[i]) != 0)
			return false;
	return true;
}

static void
reload(struct server *srv)
{
	struct larchd_config *fresh;
	char *error = NULL;

	log_info("SIGHUP: reloading the configuration");
	fresh = srv->reload(&error);
	if (fresh == NULL) {
		log_warnx("%s; keeping the configuration in use", error);
		g_free(error);
	} else if (!g_file_test(fresh->index, G_FILE_TEST_IS_DIR)) {
		log_warnx("no index at '%s'; keeping the configuration in "
		    "use", fresh->index);
		larchd_config_free(fresh);
	} else {
		/* Sockets stay as they are: binding needs privileges the
		 * daemon may have dropped, and clients are connected. */
		if (!same_strings(fresh->listen, srv->config->listen))
			log_warnx("listen addresses changed: they take effect "
			    "at the next start");
		if (fresh->workers != srv->config->workers)
			log_warnx("workers changed: takes effect at the next "
			    "start");
		if (fresh->log_syslog != srv->config->log_syslog)
			log_warnx("log changed: takes effect at the next "
			    "start");
		larch_log_set_level(fresh->log_level);
		fresh->log_syslog = srv->config->log_syslog;
		fresh->workers = srv->config->workers;
		larchd_config_free(srv->config);
		srv->config = fresh;
		larch_store_keep_rows(fresh->rows_memory);
		/* The stores are opened afresh below, so every table is
		 * opened again the new way. */
		index_reads_enable(fresh->map_index);
		for (GList *l = srv->conns.head; l != NULL; l = l->next)
			conn_apply_config(l->data);
	}
	log_info("reopening index '%s'", srv->config->index);
	workers_bump_generation(srv->workers);
}

static void
on_stop_timer(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;

	log_warnx("%u connections still busy; exiting anyway",
	    g_queue_get_length(&srv->conns));
	event_base_loopexit(srv->base, NULL);
}

static void
stop(struct server *srv, int sig)
{
	struct timeval grace;
	GList *l, *next;

	if (srv->stopping)
		return;
	srv->stopping = true;
	log_info("%s: stopping; %u connections to finish",
	    strsignal(sig), srv->n_open);
	/* Closed rather than paused: a client trying to connect now is
	 * refused at once instead of waiting in the backlog. */
	g_ptr_array_set_size(srv->listeners, 0);
	g_ptr_array_set_size(srv->sockets, 0);
	/* Long enough for a query that just started to finish. */
	grace = ms_timeval(MIN(srv->config->query_timeout_ms + 2000, 30000));
	evtimer_add(srv->stop_timer, &grace);
	for (l = srv->conns.head; l != NULL; l = next) {
		next = l->next;
		conn_stop(l->data);
	}
	stop_loop_if_done(srv);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server *srv = arg;

	if (sig == SIGHUP)
		reload(srv);
	else
		stop(srv, sig);
}

static bool
start_listeners(struct server *srv)
{
	for (guint i = 0; i < srv->sockets->len; i++) {
		struct listen_socket *ls = srv->sockets->pdata[i];
		struct evconnlistener *l;

		/* Backlog 0: the socket is already listening.  The fd
		 * stays ours (no LEV_OPT_CLOSE_ON_FREE). */
		l = evconnlistener_new(srv->base, on_accept, srv, 0, 0,
		    ls->fd);
		if (l == NULL) {
			log_warnx("cannot listen on %s", ls->name);
			return false;
		}
		evconnlistener_set_error_cb(l, on_accept_error);
		g_ptr_array_add(srv->listeners, l);
		log_info("listening on %s", ls->name);
	}
	return true;
}

static unsigned
worker_count(const struct larchd_config *config)
{
	/* Queries are CPU-bound, RAW is I/O-bound; two at least, so one
	 * slow query never holds up the rest. */
	if (config->workers > 0)
		return config->workers;
	return MAX(2u, g_get_num_processors());
}

int
server_run(struct larchd_config *config, GPtrArray *sockets,
    server_reload_fn reload_fn)
{
	struct server srv;
	int status = 0;
	GList *l, *next;

	memset(&srv, 0, sizeof(srv));
	if (evthread_use_pthreads() != 0) {
		log_error("cannot make libevent thread-safe");
		return 1;
	}
	srv.base = event_base_new();
	if (srv.base == NULL) {
		log_error("cannot create the event loop");
		return 1;
	}
	srv.config = config;
	srv.reload = reload_fn;
	larch_store_keep_rows(config->rows_memory);
	/* Before the workers start: it installs a signal handler. */
	index_reads_enable(config->map_index);
	srv.sockets = sockets;
	srv.listeners = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evconnlistener_free);
	g_queue_init(&srv.conns);
	srv.started = g_get_monotonic_time();
	srv.workers = workers_new(srv.base, worker_count(config),
	    conn_job_done);
	srv.sig_hup = evsignal_new(srv.base, SIGHUP, on_signal, &srv);
	srv.sig_term = evsignal_new(srv.base, SIGTERM, on_signal, &srv);
	srv.sig_int = evsignal_new(srv.base, SIGINT, on_signal, &srv);
	srv.stop_timer = evtimer_new(srv.base, on_stop_timer, &srv);
	srv.accept_timer = evtimer_new(srv.base, on_accept_again, &srv);
	evsignal_add(srv.sig_hup, NULL);
	evsignal_add(srv.sig_term, NULL);
	evsignal_add(srv.sig_int, NULL);

	if (start_listeners(&srv)) {
		log_info("serving index '%s' with %u workers",
		    config->index, workers_count(srv.workers));
		event_base_dispatch(srv.base);
		log_info("stopped after %" G_GUINT64_FORMAT " connections, %"
		    G_GUINT64_FORMAT " requests", srv.accepted, srv.served);
	} else {
		status = 1;
	}

	/* The workers first: no job may come back after its connection
	 * is freed. */
	workers_free(srv.workers);
	for (l = srv.conns.head; l != NULL; l = next) {
		next = l->next;
		conn_free(l->data);
	}
	/* Every byte counted in was counted out again. */
	g_assert(srv.output_held == 0);
	g_ptr_array_unref(srv.listeners);
	g_ptr_array_unref(srv.sockets);
	event_free(srv.sig_hup);
	event_free(srv.sig_term);
	event_free(srv.sig_int);
	event_free(srv.stop_timer);
	event_free(srv.accept_timer);
	event_base_free(srv.base);
	larchd_config_free(srv.config);
	return status;
}
