/*
 * Opening the client's connection to larchd.  Owned by the client; uses
 * only POSIX sockets so the client needs no event loop.
 *
 * An address is one of:
 *   unix:PATH        a local (AF_UNIX) socket
 *   HOST:PORT        a name or IPv4 address and a port number or name
 *   [V6ADDR]:PORT    an IPv6 address in brackets
 *   HOST             the default port, LARCH_CONNECT_PORT
 */
#ifndef LARCH_CLIENT_CONNECT_H
#define LARCH_CLIENT_CONNECT_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#include "larch/status.h"

#define LARCH_CONNECT_PORT	"4119"	/* larchd's default TCP port */
#define LARCH_CONNECT_DEFAULT	"127.0.0.1:" LARCH_CONNECT_PORT

/*
 * Splits an address into either *path (unix:PATH) or *host and *port, the
 * others set to NULL; the caller g_free()s all three.  Returns false with
 * nothing allocated when spec is malformed (empty host, path or port,
 * unbalanced brackets).  Resolves nothing.
 */
bool larch_connect_parse(const char *spec, char **path, char **host,
    char **port);

/*
 * Connects to the address spec, trying each address the name resolves to
 * in turn, giving up on each after timeout_ms (negative: no limit).  On
 * success *fd is a connected, non-blocking, close-on-exec socket that the
 * caller closes.  Returns LARCH_OK, LARCH_ERR_INVALID for a malformed
 * address, LARCH_ERR_IO or LARCH_ERR_TIMEOUT when no address would accept;
 * *error then says why (caller g_free()s).
 */
enum larch_status larch_connect_open(const char *spec, int timeout_ms,
    int *fd, char **error);

/* Milliseconds left until deadline (monotonic µs) for poll(), 0 when it
 * passed, -1 for no deadline (deadline < 0). */
int larch_connect_remaining_ms(gint64 deadline);

/*
 * Writes all len bytes of buf to the non-blocking socket fd, waiting at
 * most timeout_ms (negative: no limit) for the peer to take them.  Never
 * raises SIGPIPE.  Returns LARCH_OK, LARCH_ERR_IO or LARCH_ERR_TIMEOUT with
 * *error set (caller g_free()s).
 */
enum larch_status larch_connect_send(int fd, const char *buf, size_t len,
    int timeout_ms, char **error);

#endif
