/*
 * Client connections; see conn.h.
 *
 * Every libevent callback on a connection (read, write, event, resume,
 * job done) ends with settle(), the only place a closed connection is
 * freed: code in between may close it (conn_set_state(CONN_CLOSED)) and
 * still look at it.
 *
 * Owner: the daemon engineer.
 */
#include <poll.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "commands.h"
#include "conn.h"
#include "larch/log.h"
#include "server.h"
#include "workers.h"

/* Parsed requests waiting for their turn; reading stops beyond it. */
#define FIFO_MAX 32
/* Requests answered per callback before other connections get a turn. */
#define SERVE_BUDGET 16
/* A query slower than this is logged. */
#define SLOW_US (1000 * 1000)

static void serve(struct conn *conn);

static size_t
output_length(const struct conn *conn)
{
	return evbuffer_get_length(bufferevent_get_output(conn->bev));
}

/* Keeps srv->output_held as answers are queued and sent. */
static void
on_output_change(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct conn *conn = arg;

	conn->srv->output_held += info->n_added;
	conn->srv->output_held -= info->n_deleted;
}

/* Frees the bufferevent, and with it what its output still held. */
static void
free_bev(struct conn *conn)
{
	if (conn->bev == NULL)
		return;
	if (conn->counted != NULL) {
		conn->srv->output_held -= output_length(conn);
		evbuffer_remove_cb_entry(bufferevent_get_output(conn->bev),
		    conn->counted);
		conn->counted = NULL;
	}
	bufferevent_free(conn->bev);
	conn->bev = NULL;
}

/*
 * Whether conn must wait before another of its requests is served: its
 * answers waiting are above its high-water mark, or it has some waiting
 * while the answers waiting on all connections are over the server's
 * output_budget.  Without the second, a thousand clients pipelining small
 * searches and never reading held a thousand high-water marks (1 GiB by
 * default) whatever the budget said.  A client that reads its answers
 * has none waiting when it is its turn, so it is still served.
 */
static bool
is_output_full(const struct conn *conn)
{
	const struct larchd_config *cfg = conn->srv->config;
	size_t held = output_length(conn);

	return held > cfg->output_high_water ||
	    (held > 0 && conn->srv->output_held > cfg->output_budget);
}

/*
 * Input held before libevent stops reading: room for a whole line of the
 * longest kind and a few pipelined short ones.  Set again from the
 * current configuration whenever a line is incomplete, since SIGHUP may
 * have raised line_max.
 */
static size_t
read_high_water(const struct larchd_config *cfg)
{
	return MAX(2 * (cfg->line_max + 2), (size_t)16384);
}

/*
 * The state setter: the one place a connection's state changes, and with
 * it what libevent watches.  CONN_DRAINING and CONN_CLOSED are one-way.
 */
static void
conn_set_state(struct conn *conn, enum conn_state state)
{
	enum conn_state old = conn->state;
	size_t high = conn->srv->config->output_high_water;

	if (old == state || old == CONN_CLOSED ||
	    (old == CONN_DRAINING && state != CONN_CLOSED))
		return;
	conn->state = state;
	switch (state) {
	case CONN_READING:
		bufferevent_setwatermark(conn->bev, EV_WRITE, high / 2, 0);
		bufferevent_enable(conn->bev, EV_READ);
		break;
	case CONN_THROTTLED:
		bufferevent_setwatermark(conn->bev, EV_WRITE, high / 2, 0);
		bufferevent_disable(conn->bev, EV_READ);
		break;
	case CONN_DRAINING:
		/* The write callback now fires once everything is sent. */
		bufferevent_disable(conn->bev, EV_READ);
		bufferevent_setwatermark(conn->bev, EV_WRITE, 0, 0);
		if (output_length(conn) == 0 && conn->job == NULL)
			conn_set_state(conn, CONN_CLOSED);
		break;
	case CONN_CLOSED:
		log_debug("conn %u: closed", conn->id);
		/* Its answer has nowhere to go: a query not yet started is
		 * not run. */
		if (conn->job != NULL)
			workers_abandon(conn->job);
		free_bev(conn);
		event_del(conn->resume);
		server_conn_closed(conn->srv, conn);
		break;
	}
}

/* Frees a closed connection once its query has come back. */
static void
settle(struct conn *conn)
{
	if (conn->state == CONN_CLOSED && conn->job == NULL)
		conn_free(conn);
}

static void
drop_pending(struct conn *conn)
{
	struct larch_proto_request *req;

	while ((req = g_queue_pop_head(&conn->pending)) != NULL) {
		larch_proto_request_release(req);
		g_free(req);
	}
}

void
conn_free(struct conn *conn)
{
	if (conn == NULL)
		return;
	free_bev(conn);
	drop_pending(conn);
	job_free(conn->job);
	event_free(conn->resume);
	if (conn->proven != NULL)
		g_ptr_array_unref(conn->proven);
	server_conn_freed(conn->srv, conn);
	g_free(conn->peer);
	g_free(conn);
}

/* A request refused for being too long, for the FIFO. */
static struct larch_proto_request *
too_long_request(void)
{
	struct larch_proto_request *req = g_new0(struct larch_proto_request,
	    1);

	/* What larch_proto_parse() gives an over-long line, without
	 * having to hold the line. */
	req->cmd = LARCH_PROTO_CMD_NONE;
	req->error = LARCH_PROTO_ERR_TOO_LONG;
	req->detail = "line too long";
	return req;
}

/*
 * Moves the next complete request line of the input to the FIFO.
 * Returns false when there is none yet.  An over-long line is dropped as
 * it comes (never held whole) and becomes one 506 once its LF arrives.
 */
static bool
read_line(struct conn *conn)
{
	struct evbuffer *in = bufferevent_get_input(conn->bev);
	size_t line_max = conn->srv->config->line_max;
	size_t have = evbuffer_get_length(in), n, eol_len;
	struct larch_proto_request *req;
	struct evbuffer_ptr p;
	const char *line;

	if (have == 0 && !(conn->eof && conn->discarding))
		return false;
	p = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_LF);
	if (p.pos < 0) {
		/* Room for the longest line, its CR, and the LF to come. */
		if (conn->discarding || have >= line_max + 2) {
			evbuffer_drain(in, have);
			conn->discarding = true;
			if (!conn->eof)
				return false;
		} else if (!conn->eof) {
			/* Wait for the rest, with room for it (SIGHUP may
			 * have raised line_max since reading started). */
			bufferevent_setwatermark(conn->bev, EV_READ, 0,
			    read_high_water(conn->srv->config));
			return false;
		}
		/* At the end of input a last line needs no LF. */
		n = have;
	} else {
		n = (size_t)p.pos + 1;
	}
	conn->line_since = 0;
	if (conn->discarding || n > line_max + 2) {
		evbuffer_drain(in, n);
		conn->discarding = false;
		g_queue_push_tail(&conn->pending, too_long_request());
		return true;
	}
	line = (const char *)evbuffer_pullup(in, (ev_ssize_t)n);
	req = g_new0(struct larch_proto_request, 1);
	larch_proto_parse(line, n, line_max, req);
	evbuffer_drain(in, n);
	g_queue_push_tail(&conn->pending, req);
	return true;
}

static void
free_reply(const void *data, size_t len, void *extra)
{
	g_free((void *)data);
}

/*
 * Sends a reply, or hands what the socket does not take at once to the
 * bufferevent (without copying it).  With nothing queued before it, the
 * reply is written here: through the bufferevent every answer cost two
 * epoll_ctl calls (write interest on, then off) and one more turn of the
 * loop before the write, about 5% of a one-word search's CPU time.
 */
static void
write_reply(struct conn *conn, GString *out)
{
	struct evbuffer *buf = bufferevent_get_output(conn->bev);
	gsize len = out->len, done = 0;
	char *data;

	if (evbuffer_get_length(buf) == 0) {
		ssize_t n = send(bufferevent_getfd(conn->bev), out->str, len,
		    MSG_NOSIGNAL | MSG_DONTWAIT);

		/* An error is left for the bufferevent to meet and report
		 * when it writes the rest. */
		if (n > 0)
			done = (gsize)n;
	}
	if (done == len) {
		g_string_free(out, TRUE);
		return;
	}
	if (done > 0)
		g_string_erase(out, 0, (gssize)done);
	len = out->len;
	data = g_string_free(out, FALSE);
	/* A small reply is cheaper copied than held in a chain of its
	 * own. */
	if (len < 4096 ||
	    evbuffer_add_reference(buf, data, len, free_reply, NULL) != 0) {
		evbuffer_add(buf, data, len);
		g_free(data);
	}
}

/* Starts req on the workers. */
static void
start_job(struct conn *conn, const struct command *command,
    struct larch_proto_request *req)
{
	struct server *srv = conn->srv;
	struct job *job = job_new();

	job->command = command;
	job->req = req;
	job->format = conn->format;
	job->hidden = server_hidden_lists(srv, conn);
	job->index = g_strdup(srv->config->index);
	job->gen = workers_generation(srv->workers);
	job->time_limit_ms = srv->config->query_timeout_ms;
	job->raw_max = srv->config->raw_max;
	job->figures.connections = srv->n_open;
	job->figures.served = srv->served;
	job->figures.uptime = (g_get_monotonic_time() - srv->started) /
	    G_USEC_PER_SEC;
	job->figures.workers = workers_count(srv->workers);
	job->owner = conn;
	conn->job = job;
	workers_push(srv->workers, job);
}

/* Answers the request at the head of the FIFO, or starts it. */
static void
serve_one(struct conn *conn)
{
	struct larch_proto_request *req = g_queue_pop_head(&conn->pending);
	const struct command *command = NULL;
	GString *out;

	if (req->error == LARCH_PROTO_ERR_NONE) {
		command = command_for(req->cmd);
		if (command->run != NULL) {
			start_job(conn, command, req);
			return;
		}
	}
	out = g_string_sized_new(128);
	if (command == NULL)
		larch_proto_append_error(out, req);
	else
		command->answer(conn, req, out);
	conn->srv->served++;
	write_reply(conn, out);
	larch_proto_request_release(req);
	g_free(req);
	if (conn->quit)
		conn_set_state(conn, CONN_DRAINING);
}

/*
 * Whether the connection must wait (after a rejected AUTH) before its
 * next request is served; if so, the resume event is set for then.
 */
static bool
is_held(struct conn *conn)
{
	int64_t wait = conn->hold_until - g_get_monotonic_time();
	struct timeval tv;

	if (wait <= 0)
		return false;
	tv.tv_sec = wait / G_USEC_PER_SEC;
	tv.tv_usec = wait % G_USEC_PER_SEC;
	event_add(conn->resume, &tv);
	return true;
}

/*
 * Serves what the client has sent, in order, until a query is in flight,
 * the output is above its high-water mark, or the budget is spent (then
 * later, from the resume event, so other connections get their turn).
 * Then decides whether to read on.
 */
static void
serve(struct conn *conn)
{
	unsigned budget = SERVE_BUDGET;

	while (conn->state == CONN_READING || conn->state == CONN_THROTTLED) {
		while (g_queue_get_length(&conn->pending) < FIFO_MAX &&
		    read_line(conn))
			;
		if (conn->job != NULL || g_queue_is_empty(&conn->pending) ||
		    is_output_full(conn))
			break;
		if (budget-- == 0) {
			event_active(conn->resume, EV_TIMEOUT, 1);
			break;
		}
		if (is_held(conn))
			break;
		serve_one(conn);
	}
	if (conn->state != CONN_READING && conn->state != CONN_THROTTLED)
		return;
	if ((conn->eof || conn->stopping) && conn->job == NULL &&
	    g_queue_is_empty(&conn->pending)) {
		/* Nothing more will come, or be read: done once sent. */
		conn_set_state(conn, CONN_DRAINING);
		return;
	}
	conn_set_state(conn, !conn->eof && !conn->stopping &&
	    g_queue_get_length(&conn->pending) < FIFO_MAX &&
	    !is_output_full(conn) ? CONN_READING : CONN_THROTTLED);
}

/*
 * Whether the client has taken longer than the idle timeout to send one
 * request line.  The idle timeout alone counts from the last byte, so a
 * client sending a byte now and then would hold its connection (and a
 * slot of max_connections) for ever; the clock starts at the first byte
 * of the line.  Called after serve(), when what input is left, if any, is
 * an unfinished line (or reading has paused, and it is not the client's
 * turn).
 */
static bool
is_line_overdue(struct conn *conn)
{
	int64_t now = g_get_monotonic_time();

	if (conn->state != CONN_READING ||
	    (evbuffer_get_length(bufferevent_get_input(conn->bev)) == 0 &&
	    !conn->discarding)) {
		conn->line_since = 0;
		return false;
	}
	if (conn->line_since == 0)
		conn->line_since = now;
	return now - conn->line_since >
	    (int64_t)conn->srv->config->idle_timeout_ms * 1000;
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct conn *conn = arg;

	serve(conn);
	if (is_line_overdue(conn)) {
		log_info("conn %u (%s): request line unfinished after %.1f "
		    "s, closing", conn->id, conn->peer,
		    conn->srv->config->idle_timeout_ms / 1000.0);
		conn_set_state(conn, CONN_CLOSED);
	}
	settle(conn);
}

/* The output fell to the low-water mark: to half the high-water mark
 * while serving, to empty while draining. */
static void
on_write(struct bufferevent *bev, void *arg)
{
	struct conn *conn = arg;

	if (conn->state == CONN_DRAINING) {
		if (output_length(conn) == 0 && conn->job == NULL)
			conn_set_state(conn, CONN_CLOSED);
	} else if (conn->state == CONN_THROTTLED) {
		serve(conn);
	}
	settle(conn);
}

/*
 * Whether the socket is ready for what timed out (bytes to read, room to
 * write) all the same.  Then the loop was too busy to look, not the
 * client idle: after a stall (a long pause, SIGSTOP, far more ready
 * sockets than one turn of the loop takes) libevent may report the
 * timeouts of sockets it has not yet seen ready.
 */
static bool
is_ready_anyway(struct bufferevent *bev, short events)
{
	struct pollfd p = {
		.fd = bufferevent_getfd(bev),
		.events = (events & BEV_EVENT_READING) ? POLLIN : POLLOUT,
	};

	return poll(&p, 1, 0) == 1 && (p.revents & p.events) != 0;
}

static void
on_event(struct bufferevent *bev, short events, void *arg)
{
	struct conn *conn = arg;

	if (events & BEV_EVENT_EOF) {
		conn->eof = true;
		serve(conn);
	} else if (events & BEV_EVENT_ERROR) {
		log_debug("conn %u: %s", conn->id,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		conn_set_state(conn, CONN_CLOSED);
	} else if (events & BEV_EVENT_TIMEOUT) {
		if (is_ready_anyway(bev, events)) {
			/* libevent stopped what timed out: start again. */
			bufferevent_enable(bev, (events & BEV_EVENT_READING) ?
			    EV_READ : EV_WRITE);
		} else if ((events & BEV_EVENT_READING) && (conn->job != NULL ||
		    output_length(conn) > 0)) {
			/* Quiet because it waits for its answer or reads a
			 * long one, not idle (a reader that stopped reading
			 * meets the write timeout); libevent stopped
			 * reading: start again. */
			bufferevent_enable(bev, EV_READ);
		} else {
			log_info("conn %u (%s): idle timeout, closing",
			    conn->id, conn->peer);
			conn_set_state(conn, CONN_CLOSED);
		}
	}
	settle(conn);
}

static void
on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct conn *conn = arg;

	serve(conn);
	settle(conn);
}

/* Answers up to this size are always sent; see is_over_budget(). */
#define BUDGET_FREE_SIZE ((size_t)64 << 10)

/*
 * Whether an answer of len bytes must be refused because answers waiting
 * for slow clients already hold the server's output_budget.  Reading
 * pauses on a connection above its high-water mark, but one answer always
 * goes in, and a RAW answer can be 64 MiB: a thousand clients asking for
 * a large message and never reading would otherwise hold a thousand of
 * them.  Small answers always pass (a connection holds at most
 * output_high_water of them), and so does any answer when nothing else
 * is waiting.
 */
static bool
is_over_budget(const struct conn *conn, size_t len)
{
	const struct server *srv = conn->srv;
	uint64_t held = srv->output_held;

	if (len <= BUDGET_FREE_SIZE)
		return false;
	return held > 0 && held + len > srv->config->output_budget;
}

void
conn_job_done(struct job *job)
{
	struct conn *conn = job->owner;
	int64_t took = job->finished - job->queued;

	g_assert(conn->job == job);
	conn->job = NULL;
	if (took > SLOW_US && !g_atomic_int_get(&job->abandoned))
		log_info("conn %u: slow %s: %.3f s (%.3f s waiting)",
		    conn->id, job->req->cmd_name, took / 1e6,
		    (job->started - job->queued) / 1e6);
	if (conn->state != CONN_CLOSED) {
		conn->srv->served++;
		if (is_over_budget(conn, job->out->len)) {
			log_warnx("conn %u: %s answer of %zu bytes refused: "
			    "answers waiting for slow clients hold the "
			    "output_budget", conn->id, job->req->cmd_name,
			    job->out->len);
			g_string_truncate(job->out, 0);
			larch_proto_append_status(job->out, 403, "server busy: "
			    "answers waiting for slow clients fill its "
			    "output budget; retry later");
		}
		write_reply(conn, job->out);
		job->out = NULL;
	}
	job_free(job);
	if (conn->state == CONN_DRAINING && output_length(conn) == 0)
		conn_set_state(conn, CONN_CLOSED);
	serve(conn);
	settle(conn);
}

void
conn_stop(struct conn *conn)
{
	conn->stopping = true;
	if (conn->state == CONN_READING || conn->state == CONN_THROTTLED)
		serve(conn);
	settle(conn);
}

void
conn_apply_config(struct conn *conn)
{
	const struct larchd_config *cfg = conn->srv->config;
	struct timeval idle = {
		.tv_sec = cfg->idle_timeout_ms / 1000,
		.tv_usec = (cfg->idle_timeout_ms % 1000) * 1000,
	};

	bufferevent_setwatermark(conn->bev, EV_READ, 0, read_high_water(cfg));
	bufferevent_set_timeouts(conn->bev, &idle, &idle);
}

struct conn *
conn_new(struct server *srv, int fd, const char *peer, bool refuse)
{
	struct conn *conn;
	GString *greeting = g_string_new(NULL);

	conn = g_new0(struct conn, 1);
	conn->srv = srv;
	conn->id = ++srv->next_id;
	conn->peer = g_strdup(peer);
	conn->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (conn->bev == NULL) {
		log_warnx("cannot serve connection from %s", peer);
		close(fd);
		g_free(conn->peer);
		g_free(conn);
		g_string_free(greeting, TRUE);
		return NULL;
	}
	conn->counted = evbuffer_add_cb(bufferevent_get_output(conn->bev),
	    on_output_change, conn);
	conn->resume = event_new(srv->base, -1, 0, on_resume, conn);
	g_queue_init(&conn->pending);
	conn->link.data = conn;
	g_queue_push_tail_link(&srv->conns, &conn->link);
	srv->n_open++;
	bufferevent_setcb(conn->bev, on_read, on_write, on_event, conn);
	conn_apply_config(conn);
	/* Start throttled so the setter below really enables reading. */
	conn->state = CONN_THROTTLED;
	if (refuse) {
		larch_proto_append_status(greeting, 400,
		    "too many connections");
		write_reply(conn, greeting);
		conn_set_state(conn, CONN_DRAINING);
	} else {
		larch_proto_append_statusf(greeting, 200, "larch %d ready",
		    LARCH_PROTO_VERSION);
		write_reply(conn, greeting);
		conn_set_state(conn, CONN_READING);
	}
	return conn;
}
