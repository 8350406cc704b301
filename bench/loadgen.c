/*
 * loadgen: a closed-loop load generator for larchd, for bench/query.
 *
 * N connections on a unix socket each send one request line, read the
 * whole answer (status line and, for block codes, every line up to the
 * terminating "."), check it, and send the next request, for S seconds.
 * With --period-ms a connection sends at most one request per period
 * (the paced run).  It prints one JSON object: requests answered, errors,
 * wall time, p50/p99/max latency, answers per second, and its own CPU
 * time, so that bench/query can say what the generator cost the machine.
 *
 * A C program rather than Python asyncio because the generator shares
 * the machine with larchd: the asyncio client used more CPU per request
 * than the daemon it measured.  One thread and epoll: the cheapest way
 * to keep 64 sockets busy.
 *
 * Every answer must be well-formed and 2xx: a status line "NNN text" in
 * CRLF, for block codes data lines in CRLF (dot-stuffed) and ".", and for
 * 211 exactly <returned> rows.  Anything else counts as an error (the
 * first few are printed to stderr); a closed or broken connection stops
 * that connection and counts as an error.
 *
 * Usage: loadgen --socket PATH [--conns N] [--seconds S] [--period-ms P]
 *                REQUEST...
 * REQUEST is a request line without its CRLF, e.g. "SEARCH -- memory";
 * connection k starts at request k and goes round the list.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Codes whose status line is followed by a block (docs/protocol.md). */
static const int block_codes[] = { 100, 101, 211, 215, 216, 220, 221, 230,
    231 };

#define BUF_MAX (4 * 1024 * 1024)
#define ERRORS_SHOWN 5

enum phase {
	PHASE_GREETING,		/* waiting for the 200 greeting */
	PHASE_IDLE,		/* waiting for its time to send */
	PHASE_STATUS,		/* request sent, status line expected */
	PHASE_BLOCK,		/* reading a block's lines */
	PHASE_DONE,		/* stopped (time up or broken) */
};

struct conn {
	int fd;
	enum phase phase;
	unsigned next;		/* index of the next request */
	double sent;		/* when the request in flight was written */
	double due;		/* when the next request may be written */
	int code;		/* status of the answer being read */
	long rows_expected;	/* 211's <returned>, or -1 */
	long rows;
	char *buf;
	size_t len, cap;
};

struct run {
	char **reqs;		/* lines with CRLF */
	size_t *req_len;
	unsigned n_reqs;
	double *lat;
	size_t n_lat, cap_lat;
	unsigned long errors;
	unsigned shown;
	double stop_at;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void
die(const char *what)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
error(struct run *run, const struct conn *c, const char *what,
    const char *line, size_t len)
{
	run->errors++;
	if (run->shown++ < ERRORS_SHOWN)
		fprintf(stderr, "loadgen: fd %d: %s: '%.*s'\n", c->fd, what,
		    (int)(len > 200 ? 200 : len), line);
}

static bool
is_block_code(int code)
{
	for (size_t i = 0; i < sizeof(block_codes) / sizeof(block_codes[0]);
	    i++)
		if (block_codes[i] == code)
			return true;
	return false;
}

static int
connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		die(path);
	/* One thread serves every connection: never block on one. */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
		die("fcntl");
	return fd;
}

static void
send_request(struct run *run, struct conn *c)
{
	const char *p = run->reqs[c->next % run->n_reqs];
	size_t left = run->req_len[c->next % run->n_reqs];

	c->next++;
	c->sent = now();
	/* A request line fits the socket buffer of an idle connection;
	 * the loop only waits for readability. */
	while (left > 0) {
		ssize_t n = write(c->fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("write");
		p += n;
		left -= (size_t)n;
	}
	c->phase = PHASE_STATUS;
}

/* Parses "NNN text"; -1 when it is not a status line. */
static int
status_code(const char *line, size_t len)
{
	if (len < 3 || line[0] < '0' || line[0] > '9' || line[1] < '0' ||
	    line[1] > '9' || line[2] < '0' || line[2] > '9' ||
	    (len > 3 && line[3] != ' '))
		return -1;
	return (line[0] - '0') * 100 + (line[1] - '0') * 10 + line[2] - '0';
}

/* 211 <total> <returned> <offset> ...: <returned>, or -1. */
static long
returned_rows(const char *line, size_t len)
{
	char tmp[128];
	unsigned long long total;
	long rows;
	unsigned offset;

	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, line, len);
	tmp[len] = '\0';
	if (sscanf(tmp, "211 %llu %ld %u ", &total, &rows, &offset) != 3 ||
	    rows < 0)
		return -1;
	return rows;
}

static void
record(struct run *run, double t)
{
	if (run->n_lat == run->cap_lat) {
		run->cap_lat = run->cap_lat ? 2 * run->cap_lat : 65536;
		run->lat = realloc(run->lat, run->cap_lat * sizeof(double));
		if (run->lat == NULL)
			die("realloc");
	}
	run->lat[run->n_lat++] = t;
}

/* An answer is complete: record it, and send the next request or wait. */
static void
answered(struct run *run, struct conn *c, double period)
{
	double t = now();

	record(run, t - c->sent);
	c->due = c->sent + period;
	if (c->due >= run->stop_at || t >= run->stop_at)
		c->phase = PHASE_DONE;
	else if (c->due > t)
		c->phase = PHASE_IDLE;
	else
		send_request(run, c);
}

/*
 * Consumes the complete lines in c's buffer.  Returns false when the
 * connection cannot go on (an answer it cannot follow).
 */
static bool
consume(struct run *run, struct conn *c, double period)
{
	size_t pos = 0;
	bool ok = true;

	while (ok && c->phase != PHASE_DONE && c->phase != PHASE_IDLE) {
		char *nl = memchr(c->buf + pos, '\n', c->len - pos);
		const char *line = c->buf + pos;
		size_t len;

		if (nl == NULL)
			break;
		len = (size_t)(nl - line);
		pos += len + 1;
		if (len == 0 || line[len - 1] != '\r') {
			error(run, c, "line not ended by CRLF", line, len);
			ok = false;
			break;
		}
		len--;
		switch (c->phase) {
		case PHASE_GREETING:
			if (status_code(line, len) != 200) {
				error(run, c, "bad greeting", line, len);
				ok = false;
				break;
			}
			c->phase = PHASE_IDLE;
			break;
		case PHASE_STATUS:
			c->code = status_code(line, len);
			if (c->code < 0) {
				error(run, c, "bad status line", line, len);
				ok = false;
				break;
			}
			if (c->code < 200 || c->code > 299)
				error(run, c, "not a 2xx answer", line, len);
			c->rows = 0;
			c->rows_expected = -1;
			if (c->code == 211) {
				c->rows_expected = returned_rows(line, len);
				if (c->rows_expected < 0)
					error(run, c, "bad 211 line", line,
					    len);
			}
			if (is_block_code(c->code))
				c->phase = PHASE_BLOCK;
			else
				answered(run, c, period);
			break;
		case PHASE_BLOCK:
			if (len == 1 && line[0] == '.') {
				if (c->rows_expected >= 0 &&
				    c->rows != c->rows_expected)
					error(run, c, "rows not as announced",
					    "", 0);
				answered(run, c, period);
				break;
			}
			if (len > 0 && line[0] == '.' &&
			    (len < 2 || line[1] != '.'))
				error(run, c, "data line not dot-stuffed",
				    line, len);
			c->rows++;
			break;
		default:
			error(run, c, "data while not waiting", line, len);
			ok = false;
			break;
		}
	}
	memmove(c->buf, c->buf + pos, c->len - pos);
	c->len -= pos;
	if (ok && c->phase == PHASE_IDLE && c->len > 0) {
		error(run, c, "data while not waiting", c->buf, c->len);
		ok = false;
	}
	return ok;
}

/* Reads what c's socket has; false when the connection is finished. */
static bool
on_readable(struct run *run, struct conn *c, double period)
{
	for (;;) {
		size_t room;
		ssize_t n;

		if (c->cap - c->len < 65536) {
			if (c->cap >= BUF_MAX) {
				error(run, c, "line too long", c->buf, 80);
				return false;
			}
			c->cap = c->cap ? 2 * c->cap : 131072;
			c->buf = realloc(c->buf, c->cap);
			if (c->buf == NULL)
				die("realloc");
		}
		room = c->cap - c->len;
		n = read(c->fd, c->buf + c->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n <= 0) {
			error(run, c, n == 0 ? "closed by larchd" :
			    "read failed", "", 0);
			return false;
		}
		c->len += (size_t)n;
		if (!consume(run, c, period))
			return false;
		/* A short read emptied the socket. */
		if ((size_t)n < room)
			return true;
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The same rank as bench/query's pct(): nearest rank on n - 1. */
static double
percentile(const double *sorted, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return sorted[i < n ? i : n - 1];
}

static void
usage(void)
{
	fprintf(stderr, "usage: loadgen --socket PATH [--conns N] "
	    "[--seconds S] [--period-ms P] REQUEST...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "conns", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 't' },
		{ "period-ms", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	unsigned n_conns = 1;
	double seconds = 2, period = 0, start_at, end, cpu0, cpu1, t0;
	struct run run = { 0 };
	struct conn *conns;
	unsigned live;
	int ep, o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			path = optarg;
			break;
		case 'c':
			n_conns = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 'p':
			period = strtod(optarg, NULL) / 1000.0;
			break;
		default:
			usage();
		}
	}
	if (path == NULL || optind >= argc || n_conns == 0 || seconds <= 0)
		usage();
	run.n_reqs = (unsigned)(argc - optind);
	run.reqs = calloc(run.n_reqs, sizeof(char *));
	run.req_len = calloc(run.n_reqs, sizeof(size_t));
	conns = calloc(n_conns, sizeof(*conns));
	if (run.reqs == NULL || run.req_len == NULL || conns == NULL)
		die("calloc");
	for (unsigned i = 0; i < run.n_reqs; i++) {
		if (asprintf(&run.reqs[i], "%s\r\n", argv[optind + i]) < 0)
			die("asprintf");
		run.req_len[i] = strlen(run.reqs[i]);
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1");

	/* Connect and read every greeting before the clock starts. */
	for (unsigned k = 0; k < n_conns; k++) {
		struct conn *c = &conns[k];
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

		c->fd = connect_unix(path);
		c->phase = PHASE_GREETING;
		c->next = k;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
			die("epoll_ctl");
	}
	for (unsigned waiting = n_conns; waiting > 0;) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, 10000);

		if (n == 0) {
			fprintf(stderr, "loadgen: no greeting in 10 s\n");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (!on_readable(&run, c, period))
				return 1;
			if (c->phase == PHASE_IDLE)
				waiting--;
		}
	}
	start_at = now() + 0.05;
	run.stop_at = start_at + seconds;
	/* Paced connections start spread over one period. */
	for (unsigned k = 0; k < n_conns; k++)
		conns[k].due = start_at + period * k / n_conns;
	while ((t0 = now()) < start_at) {
		struct timespec ts = { 0, (long)((start_at - t0) * 1e9) };

		nanosleep(&ts, NULL);
	}
	cpu0 = cpu_seconds();
	live = n_conns;
	while (live > 0) {
		struct epoll_event evs[64];
		double t = now(), wake = run.stop_at + 60;
		int timeout, n;

		live = 0;
		for (unsigned k = 0; k < n_conns; k++) {
			struct conn *c = &conns[k];

			if (c->phase == PHASE_IDLE) {
				if (c->due >= run.stop_at) {
					c->phase = PHASE_DONE;
				} else if (c->due <= t) {
					send_request(&run, c);
				} else if (c->due < wake) {
					wake = c->due;
				}
			}
			if (c->phase != PHASE_DONE)
				live++;
		}
		if (live == 0)
			break;
		timeout = (int)((wake - t) * 1000 + 0.999);
		n = epoll_wait(ep, evs, 64, timeout < 0 ? 0 : timeout);
		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c->phase == PHASE_DONE)
				continue;
			if (!on_readable(&run, c, period)) {
				c->phase = PHASE_DONE;
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
			}
		}
	}
	end = now();
	cpu1 = cpu_seconds();
	for (unsigned k = 0; k < n_conns; k++) {
		close(conns[k].fd);
		free(conns[k].buf);
	}
	free(conns);
	close(ep);
	qsort(run.lat, run.n_lat, sizeof(double), cmp_double);
	printf("{\"n\": %zu, \"errors\": %lu, \"wall\": %.6f, "
	    "\"p50\": %.6f, \"p99\": %.6f, \"max\": %.6f, \"qps\": %.1f, "
	    "\"cpu\": %.6f}\n", run.n_lat, run.errors, end - start_at,
	    percentile(run.lat, run.n_lat, 50) * 1000,
	    percentile(run.lat, run.n_lat, 99) * 1000,
	    run.n_lat ? run.lat[run.n_lat - 1] * 1000 : 0,
	    (double)run.n_lat / (end - start_at), cpu1 - cpu0);
	for (unsigned i = 0; i < run.n_reqs; i++)
		free(run.reqs[i]);
	free(run.reqs);
	free(run.req_len);
	free(run.lat);
	return 0;
}
