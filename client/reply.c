/*
 * Reading larchd's replies: a buffered line reader with caps and
 * deadlines, status line parsing and dot-unstuffing.  Owned by the
 * client.  See reply.h for the contract and docs/protocol.md for the
 * framing.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "connect.h"
#include "reply.h"

#define BUF_INITIAL	16384

struct larch_reply {
	larch_reply_source source;
	void *ctx;
	int fd;			/* the fd source's context */
	int timeout_ms;
	char *buf;		/* bytes read, not yet returned: [start, end) */
	size_t cap, start, end;
	bool eof;		/* the source said end of stream */
	bool mid_line;		/* a piece was returned; its line goes on */
	GString *line;		/* the line or piece last returned */
	GString *error;
};

/* The fd source: poll() for the timeout, then one read(). */
static ssize_t
fd_source(void *ctx, void *buf, size_t len, int timeout_ms)
{
	int fd = *(int *)ctx;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, timeout_ms);
	ssize_t got;

	if (n == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (n < 0)
		return -1;
	got = read(fd, buf, len);
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		errno = EINTR;	/* a spurious wakeup: the reader retries */
	return got;
}

struct larch_reply *
larch_reply_new(larch_reply_source source, void *ctx, int timeout_ms)
{
	struct larch_reply *r = g_new0(struct larch_reply, 1);

	r->source = source;
	r->ctx = ctx;
	r->fd = -1;
	r->timeout_ms = timeout_ms;
	r->line = g_string_new(NULL);
	r->error = g_string_new(NULL);
	return r;
}

struct larch_reply *
larch_reply_new_fd(int fd, int timeout_ms)
{
	struct larch_reply *r = larch_reply_new(fd_source, NULL, timeout_ms);

	r->fd = fd;
	r->ctx = &r->fd;
	return r;
}

void
larch_reply_free(struct larch_reply *r)
{
	if (r == NULL)
		return;
	g_free(r->buf);
	g_string_free(r->line, TRUE);
	g_string_free(r->error, TRUE);
	g_free(r);
}

void
larch_reply_set_timeout(struct larch_reply *r, int timeout_ms)
{
	r->timeout_ms = timeout_ms;
}

const char *
larch_reply_error(const struct larch_reply *r)
{
	return r->error->str;
}

static enum larch_status
fail(struct larch_reply *r, enum larch_status st, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static enum larch_status
fail(struct larch_reply *r, enum larch_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_string_vprintf(r->error, fmt, ap);
	va_end(ap);
	return st;
}

/*
 * Reads more bytes into the buffer, making room first: the unread bytes
 * move to the front, and the buffer grows only while it holds less than
 * need bytes, so its size stays bounded by about twice the line cap.
 */
static enum larch_status
fill(struct larch_reply *r, size_t need, gint64 deadline)
{
	if (r->start > 0 && (r->end == r->cap || r->start >= r->cap / 2)) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		size_t cap = r->cap == 0 ? BUF_INITIAL : r->cap * 2;

		g_assert(r->cap < need);
		r->buf = g_realloc(r->buf, cap);
		r->cap = cap;
	}
	for (;;) {
		ssize_t n = r->source(r->ctx, r->buf + r->end,
		    r->cap - r->end, larch_connect_remaining_ms(deadline));

		if (n > 0) {
			r->end += (size_t)n;
			return LARCH_OK;
		}
		if (n == 0) {
			r->eof = true;
			return LARCH_OK;
		}
		if (errno == EINTR)
			continue;
		if (errno == ETIMEDOUT)
			return fail(r, LARCH_ERR_TIMEOUT,
			    "timed out waiting for the server");
		return fail(r, LARCH_ERR_IO, "cannot read from the server: %s",
		    g_strerror(errno));
	}
}

/*
 * The line reader under both kinds of read: returns the next line without
 * its line end (LF, or CRLF) in r->line, or, when pieces are allowed and
 * the line is longer than max, its next max bytes with *more set.  A CR
 * that ends a piece is held back so that a CRLF split by the cap is still
 * seen as a line end.
 */
static enum larch_status
next_line(struct larch_reply *r, size_t max, bool pieces, bool *more)
{
	gint64 deadline = r->timeout_ms < 0 ? -1 :
	    g_get_monotonic_time() + (gint64)r->timeout_ms * 1000;
	size_t need = max + 2;	/* the longest line with its CRLF */
	enum larch_status st;

	g_assert(max >= 2);
	*more = false;
	for (;;) {
		const char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		/* p is NULL until the first read: no memchr() on it. */
		const char *lf = avail == 0 ? NULL :
		    memchr(p, '\n', MIN(avail, need));
		size_t n;

		if (lf != NULL) {
			n = (size_t)(lf - p);
			if (n > 0 && p[n - 1] == '\r')
				n--;
			if (n <= max) {
				g_string_truncate(r->line, 0);
				g_string_append_len(r->line, p, (gssize)n);
				r->start += (size_t)(lf - p) + 1;
				return LARCH_OK;
			}
		} else if (avail < need) {
			if (r->eof)
				return fail(r, LARCH_ERR_IO, avail == 0 ?
				    "the server closed the connection" :
				    "the server closed the connection in the "
				    "middle of a line");
			st = fill(r, need, deadline);
			if (st != LARCH_OK)
				return st;
			continue;
		}
		/* Longer than max. */
		if (!pieces)
			return fail(r, LARCH_ERR_TOO_BIG, "the server sent a "
			    "line longer than %zu bytes", max);
		n = p[max - 1] == '\r' ? max - 1 : max;
		g_string_truncate(r->line, 0);
		g_string_append_len(r->line, p, (gssize)n);
		r->start += n;
		*more = true;
		return LARCH_OK;
	}
}

enum larch_status
larch_reply_read_status(struct larch_reply *r,
    struct larch_reply_status *status)
{
	enum larch_status st;
	const char *s;
	bool more;

	g_assert(!r->mid_line);
	status->code = 0;
	status->text = "";
	st = next_line(r, LARCH_REPLY_STATUS_MAX, false, &more);
	if (st != LARCH_OK)
		return st;
	s = r->line->str;
	/* "NNN" then the end or a blank; 1xx..5xx are the only classes. */
	if (r->line->len < 3 || s[0] < '1' || s[0] > '5' ||
	    !g_ascii_isdigit(s[1]) || !g_ascii_isdigit(s[2]) ||
	    (s[3] != '\0' && s[3] != ' '))
		goto garbage;
	for (size_t i = 0; i < r->line->len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			goto garbage;
	}
	if (!g_utf8_validate_len(s, r->line->len, NULL)) {
		/* The text is only ever shown to a person: mend it. */
		char *valid = g_utf8_make_valid(s, (gssize)r->line->len);

		g_string_assign(r->line, valid);
		g_free(valid);
		s = r->line->str;
	}
	status->code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	status->text = s[3] == ' ' ? s + 4 : s + 3;
	return LARCH_OK;
garbage:
	{
		char *shown = g_utf8_make_valid(s, MIN(r->line->len, 40));

		for (char *c = shown; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		fail(r, LARCH_ERR_PARSE, "the server sent something that is "
		    "not a status line: '%s'", shown);
		g_free(shown);
	}
	return LARCH_ERR_PARSE;
}

/* Finds the index-th blank-separated field of text: start and length. */
static bool
find_field(const char *text, unsigned int index, const char **start,
    size_t *len)
{
	const char *p = text;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return false;
		*start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		*len = (size_t)(p - *start);
		if (index-- == 0)
			return true;
	}
}

bool
larch_reply_field_uint(const char *text, unsigned int index, guint64 *out)
{
	const char *start;
	size_t len;
	guint64 v = 0;

	if (!find_field(text, index, &start, &len) || len > 19)
		return false;	/* 19 digits always fit in 64 bits */
	for (size_t i = 0; i < len; i++) {
		if (!g_ascii_isdigit(start[i]))
			return false;
		v = v * 10 + (guint64)(start[i] - '0');
	}
	*out = v;
	return true;
}

char *
larch_reply_field(const char *text, unsigned int index)
{
	const char *start;
	size_t len;

	if (!find_field(text, index, &start, &len))
		return NULL;
	return g_strndup(start, len);
}

enum larch_status
larch_reply_read_piece(struct larch_reply *r, size_t max, const char **data,
    size_t *len, bool *more)
{
	bool line_start = !r->mid_line;
	enum larch_status st;

	st = next_line(r, max, true, more);
	if (st != LARCH_OK)
		return st;
	r->mid_line = *more;
	/* Only a whole line can be the terminator or be dot-stuffed; a
	 * piece that continues a line is data whatever it starts with. */
	if (line_start && !*more && r->line->len == 1 &&
	    r->line->str[0] == '.')
		return LARCH_DONE;
	if (line_start && r->line->len >= 2 && r->line->str[0] == '.' &&
	    r->line->str[1] == '.')
		g_string_erase(r->line, 0, 1);
	*data = r->line->str;
	*len = r->line->len;
	return LARCH_OK;
}

enum larch_status
larch_reply_read_line(struct larch_reply *r, size_t max, const char **line,
    size_t *len)
{
	enum larch_status st;
	bool more;

	g_assert(!r->mid_line);
	if (max == 0)
		max = LARCH_REPLY_DATA_MAX;
	st = next_line(r, max, false, &more);
	if (st != LARCH_OK)
		return st;
	if (r->line->len == 1 && r->line->str[0] == '.')
		return LARCH_DONE;
	if (r->line->len >= 2 && r->line->str[0] == '.' &&
	    r->line->str[1] == '.')
		g_string_erase(r->line, 0, 1);
	*line = r->line->str;
	*len = r->line->len;
	return LARCH_OK;
}
