/*
 * Listening sockets, opened with plain system calls before larchd
 * daemonises (so a busy port or socket is reported on the terminal and
 * stops the start) and handed to libevent afterwards.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_LISTEN_H
#define LARCHD_LISTEN_H

#include <stdbool.h>
#include <glib.h>

struct listen_socket {
	int fd;			/* listening, non-blocking, close-on-exec */
	char *name;		/* for logs: "unix:/path", "127.0.0.1:4119" */
	char *unix_path;	/* the socket file we created, or NULL */
	unsigned long long file_dev, file_ino;	/* and its identity */
};

/*
 * Opens addr ("unix:PATH" or "HOST:PORT", checked by
 * larchd_config_check_listen()) and appends one struct listen_socket per
 * bound address to into (a host name may give several).  A unix socket
 * file left by a dead server is replaced; one a live server answers on is
 * an error, as is any other file there.  A new unix socket gets
 * unix_mode.  On failure returns false with *error (caller g_free()s) and
 * into unchanged.
 */
bool listen_open(const char *addr, unsigned unix_mode, GPtrArray *into,
    char **error);

/* Closes the socket and removes its socket file; accepts NULL. */
void listen_socket_free(struct listen_socket *ls);

#endif
