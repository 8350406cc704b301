/*
 * The client's connection to larchd: address parsing, a connect() that
 * cannot hang, and a send that cannot raise SIGPIPE.  Owned by the client.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "connect.h"

static bool
parse_spec(const char *spec, char **path, char **host, char **port)
{
	const char *colon;

	*path = *host = *port = NULL;
	if (spec == NULL || *spec == '\0')
		return false;
	if (g_str_has_prefix(spec, "unix:")) {
		if (spec[5] == '\0')
			return false;
		*path = g_strdup(spec + 5);
		return true;
	}
	if (spec[0] == '[') {
		/* [V6ADDR] or [V6ADDR]:PORT: the brackets keep the colons of
		 * the address apart from the one before the port. */
		const char *close = strchr(spec, ']');

		if (close == NULL || close == spec + 1)
			return false;
		if (close[1] != '\0' && (close[1] != ':' || close[2] == '\0'))
			return false;
		*host = g_strndup(spec + 1, (gsize)(close - spec - 1));
		*port = g_strdup(close[1] == ':' ? close + 2 :
		    LARCH_CONNECT_PORT);
		return true;
	}
	colon = strrchr(spec, ':');
	if (colon == NULL || strchr(spec, ':') != colon) {
		/* No colon, or several: a bare name or IPv6 address. */
		*host = g_strdup(spec);
		*port = g_strdup(LARCH_CONNECT_PORT);
		return true;
	}
	if (colon == spec || colon[1] == '\0')
		return false;
	*host = g_strndup(spec, (gsize)(colon - spec));
	*port = g_strdup(colon + 1);
	return true;
}

/* Whether a port written in digits is one a socket can have (a port
 * name, "nntp", is left to getaddrinfo()). */
static bool
is_usable_port(const char *port)
{
	guint64 n;

	if (!g_ascii_isdigit(port[0]))
		return true;
	return g_ascii_string_to_unsigned(port, 10, 1, 65535, &n, NULL);
}

bool
larch_connect_parse(const char *spec, char **path, char **host, char **port)
{
	if (!parse_spec(spec, path, host, port))
		return false;
	if (*port != NULL && !is_usable_port(*port)) {
		g_clear_pointer(host, g_free);
		g_clear_pointer(port, g_free);
		return false;
	}
	return true;
}

int
larch_connect_remaining_ms(gint64 deadline)
{
	gint64 left;

	if (deadline < 0)
		return -1;
	left = deadline - g_get_monotonic_time();
	if (left <= 0)
		return 0;
	return (int)MIN((left + 999) / 1000, G_MAXINT);
}

static gint64
deadline_after(int timeout_ms)
{
	if (timeout_ms < 0)
		return -1;
	return g_get_monotonic_time() + (gint64)timeout_ms * 1000;
}

/*
 * Waits until fd is ready for events or the deadline passes.  Returns 1
 * when ready, 0 on timeout, -1 with errno on failure.
 */
static int
wait_fd(int fd, short events, gint64 deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		int n = poll(&pfd, 1,
		    larch_connect_remaining_ms(deadline));

		if (n > 0)
			return 1;
		if (n == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/*
 * Connects a fresh non-blocking socket to one address.  Non-blocking so
 * that an address that drops our SYNs (or a unix socket whose backlog is
 * full) costs at most the timeout.
 */
static enum larch_status
connect_one(int family, const struct sockaddr *sa, socklen_t salen,
    int timeout_ms, int *out, char **why)
{
	int fd, err = 0;
	socklen_t errlen = sizeof(err);
	int ready;

	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*why = g_strdup(g_strerror(errno));
		return LARCH_ERR_IO;
	}
	if (connect(fd, sa, salen) == 0)
		goto connected;
	if (errno != EINPROGRESS && errno != EINTR) {
		*why = g_strdup(g_strerror(errno));
		goto close_fd;
	}
	ready = wait_fd(fd, POLLOUT, deadline_after(timeout_ms));
	if (ready == 0) {
		*why = g_strdup("timed out");
		close(fd);
		return LARCH_ERR_TIMEOUT;
	}
	if (ready < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0) {
		*why = g_strdup(g_strerror(errno));
		goto close_fd;
	}
	if (err != 0) {
		*why = g_strdup(g_strerror(err));
		goto close_fd;
	}
connected:
	*out = fd;
	return LARCH_OK;
close_fd:
	close(fd);
	return LARCH_ERR_IO;
}

static enum larch_status
connect_unix(const char *path, int timeout_ms, int *fd, char **why)
{
	struct sockaddr_un sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		*why = g_strdup("socket path too long");
		return LARCH_ERR_INVALID;
	}
	memcpy(sun.sun_path, path, strlen(path));
	return connect_one(AF_UNIX, (struct sockaddr *)&sun, sizeof(sun),
	    timeout_ms, fd, why);
}

static enum larch_status
connect_inet(const char *host, const char *port, int timeout_ms, int *fd,
    char **why)
{
	struct addrinfo hints, *res = NULL;
	enum larch_status st = LARCH_ERR_IO;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/* No AI_ADDRCONFIG: it hides ::1 and 127.0.0.1 on a host whose
	 * only interface is loopback, the daemon's default case. */
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc == EAI_SERVICE) {
		*why = g_strdup_printf("no port is called '%s'", port);
		return LARCH_ERR_INVALID;
	}
	if (rc != 0) {
		*why = g_strdup(rc == EAI_SYSTEM ? g_strerror(errno) :
		    gai_strerror(rc));
		return LARCH_ERR_IO;
	}
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		g_clear_pointer(why, g_free);
		st = connect_one(ai->ai_family, ai->ai_addr, ai->ai_addrlen,
		    timeout_ms, fd, why);
		if (st == LARCH_OK)
			break;
	}
	freeaddrinfo(res);
	if (st != LARCH_OK && *why == NULL)
		*why = g_strdup("no address to connect to");
	return st;
}

enum larch_status
larch_connect_open(const char *spec, int timeout_ms, int *fd, char **error)
{
	char *path, *host, *port, *why = NULL;
	enum larch_status st;

	*fd = -1;
	*error = NULL;
	if (!larch_connect_parse(spec, &path, &host, &port)) {
		*error = g_strdup_printf("bad address '%s': expected "
		    "unix:PATH, HOST:PORT or [IPV6]:PORT, PORT from 1 to "
		    "65535 or a port name", spec);
		return LARCH_ERR_INVALID;
	}
	if (path != NULL)
		st = connect_unix(path, timeout_ms, fd, &why);
	else
		st = connect_inet(host, port, timeout_ms, fd, &why);
	if (st == LARCH_ERR_INVALID)
		*error = g_strdup_printf("bad address '%s': %s", spec, why);
	else if (st != LARCH_OK)
		*error = g_strdup_printf("cannot connect to '%s': %s", spec,
		    why);
	g_free(why);
	g_free(path);
	g_free(host);
	g_free(port);
	return st;
}

enum larch_status
larch_connect_send(int fd, const char *buf, size_t len, int timeout_ms,
    char **error)
{
	gint64 deadline = deadline_after(timeout_ms);

	*error = NULL;
	while (len > 0) {
		/* MSG_NOSIGNAL: a server that closed early is an error to
		 * report, not a signal that kills the client silently. */
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		int ready;

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			*error = g_strdup_printf("cannot send to the server: "
			    "%s", g_strerror(errno));
			return LARCH_ERR_IO;
		}
		ready = wait_fd(fd, POLLOUT, deadline);
		if (ready == 0) {
			*error = g_strdup("timed out sending to the server");
			return LARCH_ERR_TIMEOUT;
		}
		if (ready < 0) {
			*error = g_strdup_printf("cannot send to the server: "
			    "%s", g_strerror(errno));
			return LARCH_ERR_IO;
		}
	}
	return LARCH_OK;
}
