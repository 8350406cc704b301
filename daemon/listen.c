/*
 * Opening listening sockets; see listen.h.
 *
 * Owner: the daemon engineer.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "listen.h"

#define BACKLOG 1024

void
listen_socket_free(struct listen_socket *ls)
{
	struct stat st;

	if (ls == NULL)
		return;
	/* Remove our socket file only if it is still ours: a second
	 * server may have replaced it since. */
	if (ls->unix_path != NULL && lstat(ls->unix_path, &st) == 0 &&
	    (unsigned long long)st.st_dev == ls->file_dev &&
	    (unsigned long long)st.st_ino == ls->file_ino)
		unlink(ls->unix_path);
	if (ls->fd >= 0)
		close(ls->fd);
	g_free(ls->name);
	g_free(ls->unix_path);
	g_free(ls);
}

static struct listen_socket *
listen_socket_new(int fd, char *name, const char *unix_path)
{
	struct listen_socket *ls = g_new0(struct listen_socket, 1);

	ls->fd = fd;
	ls->name = name;
	ls->unix_path = g_strdup(unix_path);
	return ls;
}

/*
 * Whether a server answers on the socket file path.  A refused
 * connection means the file is left over from a server that died.
 */
static bool
unix_socket_is_live(const char *path, const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return true;	/* cannot tell: do not remove it */
	live = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0 ||
	    (errno != ECONNREFUSED && errno != ENOENT);
	close(fd);
	return live;
}

static bool
open_unix(const char *path, unsigned mode, GPtrArray *into, char **error)
{
	struct sockaddr_un sun;
	struct listen_socket *ls;
	struct stat st;
	mode_t old_mask;
	int fd, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		*error = g_strdup_printf("cannot listen on '%s': path longer "
		    "than %zu bytes", path, sizeof(sun.sun_path) - 1);
		return false;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			*error = g_strdup_printf("cannot listen on '%s': a "
			    "file that is not a socket is there", path);
			return false;
		}
		if (unix_socket_is_live(path, &sun)) {
			*error = g_strdup_printf("cannot listen on '%s': "
			    "another server is using it", path);
			return false;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*error = g_strdup_printf("cannot create a socket for '%s': "
		    "%s", path, g_strerror(errno));
		return false;
	}
	/* The socket must never exist with wider permissions, not even
	 * between bind() and chmod(). */
	old_mask = umask(~(mode_t)mode & 0777);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_mask);
	if (rc != 0 || chmod(path, (mode_t)mode) != 0 ||
	    listen(fd, BACKLOG) != 0) {
		*error = g_strdup_printf("cannot listen on '%s': %s", path,
		    g_strerror(errno));
		if (rc == 0)
			unlink(path);
		close(fd);
		return false;
	}
	ls = listen_socket_new(fd, g_strconcat("unix:", path, NULL), path);
	if (lstat(path, &st) == 0) {
		ls->file_dev = (unsigned long long)st.st_dev;
		ls->file_ino = (unsigned long long)st.st_ino;
	}
	g_ptr_array_add(into, ls);
	return true;
}

/* "host:port" of a bound socket, with the port the kernel chose. */
static char *
socket_name(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[NI_MAXHOST], port[NI_MAXSERV];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host),
	    port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return g_strdup("?");
	if (ss.ss_family == AF_INET6)
		return g_strdup_printf("[%s]:%s", host, port);
	return g_strdup_printf("%s:%s", host, port);
}

static int
bind_one(const struct addrinfo *ai)
{
	int one = 1;
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, BACKLOG) != 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static bool
open_tcp(const char *addr, GPtrArray *into, char **error)
{
	const char *colon = strrchr(addr, ':');
	char *host = g_strndup(addr, (gsize)(colon - addr));
	struct addrinfo hints, *res = NULL;
	guint before = into->len;
	int rc, saved = 0;

	if (host[0] == '[') {
		char *inner = g_strndup(host + 1, strlen(host) - 2);

		g_free(host);
		host = inner;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_ADDRCONFIG;
	rc = getaddrinfo(host[0] != '\0' ? host : NULL, colon + 1, &hints,
	    &res);
	if (rc != 0) {
		*error = g_strdup_printf("cannot listen on '%s': %s", addr,
		    gai_strerror(rc));
		g_free(host);
		return false;
	}
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		int fd = bind_one(ai);

		if (fd < 0) {
			saved = errno;
			continue;
		}
		g_ptr_array_add(into, listen_socket_new(fd, socket_name(fd),
		    NULL));
	}
	freeaddrinfo(res);
	g_free(host);
	if (into->len == before) {
		*error = g_strdup_printf("cannot listen on '%s': %s", addr,
		    g_strerror(saved));
		return false;
	}
	return true;
}

bool
listen_open(const char *addr, unsigned unix_mode, GPtrArray *into,
    char **error)
{
	if (g_str_has_prefix(addr, "unix:"))
		return open_unix(addr + 5, unix_mode, into, error);
	return open_tcp(addr, into, error);
}
