/*
 * Reading larchd's replies (docs/protocol.md, sections 1 and 4): status
 * lines and dot-terminated, dot-stuffed blocks.  Owned by the client.
 *
 * The reader trusts nothing it reads: every line has a length cap, every
 * line must arrive within the reader's timeout (counted from when the
 * caller asked for it, so a server that trickles a byte at a time cannot
 * hold the client forever), and an early close or garbage is an error
 * status, never a crash.  Bytes come from a source function so the tests
 * can feed canned streams in arbitrary chunks.
 *
 * Errors: LARCH_ERR_IO (the server closed, or a read failed),
 * LARCH_ERR_TIMEOUT, LARCH_ERR_TOO_BIG (a line over its cap) and
 * LARCH_ERR_PARSE (not a status line); larch_reply_error() says more.
 * After an error the stream is out of step and the reader must not be
 * used again except to free it.
 */
#ifndef LARCH_CLIENT_REPLY_H
#define LARCH_CLIENT_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <glib.h>

#include "larch/status.h"

/* Caps on one line, not counting its line end. */
#define LARCH_REPLY_STATUS_MAX	(64 * 1024)	/* status lines */
#define LARCH_REPLY_DATA_MAX	(1024 * 1024)	/* data lines, except RAW */
#define LARCH_REPLY_PIECE_MAX	(64 * 1024)	/* RAW lines come in pieces */

/*
 * A byte source: reads up to len bytes into buf, waiting at most
 * timeout_ms (negative: no limit).  Returns the count, 0 at end of stream,
 * or -1 with errno set (ETIMEDOUT when the wait ran out; EINTR is retried
 * by the reader).
 */
typedef ssize_t (*larch_reply_source)(void *ctx, void *buf, size_t len,
    int timeout_ms);

struct larch_reply;

/*
 * A reader over source(ctx) with a per-line timeout (negative: none).
 * The caller keeps ctx alive until larch_reply_free().
 */
struct larch_reply *larch_reply_new(larch_reply_source source, void *ctx,
    int timeout_ms);

/* A reader over the socket fd, which the caller owns and closes. */
struct larch_reply *larch_reply_new_fd(int fd, int timeout_ms);

/* Accepts NULL. */
void larch_reply_free(struct larch_reply *r);

/* Changes the per-line timeout for the lines read from now on. */
void larch_reply_set_timeout(struct larch_reply *r, int timeout_ms);

/* Why the last call failed; owned by r, valid until its next call. */
const char *larch_reply_error(const struct larch_reply *r);

/*
 * A status line, "NNN text": code is 100..599, text what follows the
 * blank after it (possibly "").  text is NUL-terminated, free of control
 * bytes other than TAB, and owned by r until its next read.
 */
struct larch_reply_status {
	int code;
	const char *text;
};

/* Reads the next status line.  LARCH_ERR_PARSE when it is not one. */
enum larch_status larch_reply_read_status(struct larch_reply *r,
    struct larch_reply_status *status);

/*
 * The index-th blank-separated field of status text (0 is the first word
 * after the code) as an unsigned decimal number.  Returns false when
 * there is no such field or it is not a number that fits.
 */
bool larch_reply_field_uint(const char *text, unsigned int index,
    guint64 *out);

/*
 * The index-th field of status text as a new string (caller g_free()s),
 * or NULL.
 */
char *larch_reply_field(const char *text, unsigned int index);

/*
 * Reads the next data line of a block, at most max bytes (0 meaning
 * LARCH_REPLY_DATA_MAX), without its line end and with dot-stuffing
 * undone.  *line is NUL-terminated but may hold NUL bytes; *len counts
 * them.  It is owned by r until its next read.  Returns LARCH_OK, or
 * LARCH_DONE at the block's terminating ".".
 */
enum larch_status larch_reply_read_line(struct larch_reply *r, size_t max,
    const char **line, size_t *len);

/*
 * Like larch_reply_read_line(), but a line longer than max comes in
 * pieces of at most max bytes (max at least 2): *more is true when the
 * piece does not end the line.  The RAW block has no line cap: a message
 * may hold lines of any length, and pieces keep the memory bounded.
 */
enum larch_status larch_reply_read_piece(struct larch_reply *r, size_t max,
    const char **data, size_t *len, bool *more);

#endif
