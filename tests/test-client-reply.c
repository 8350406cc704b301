/*
 * Tests for the client's reply reader (client/reply.c): status lines,
 * blocks and dot-unstuffing, RAW pieces, caps, early closes and
 * timeouts, against canned byte streams delivered in chunks of every
 * size.  Owned by the client's engineer.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "reply.h"

/* A canned stream served chunk bytes at a time. */
struct canned {
	const char *data;
	size_t len, pos, chunk;
	int end_errno;		/* at the end: 0 for EOF, else this error */
	bool eintr;		/* every other call fails with EINTR */
	unsigned int calls;
};

static ssize_t
canned_source(void *ctx, void *buf, size_t len, int timeout_ms)
{
	struct canned *c = ctx;
	size_t n;

	if (c->eintr && c->calls++ % 2 == 0) {
		errno = EINTR;
		return -1;
	}
	if (c->pos == c->len) {
		if (c->end_errno != 0) {
			errno = c->end_errno;
			return -1;
		}
		return 0;
	}
	n = MIN(MIN(len, c->chunk), c->len - c->pos);
	memcpy(buf, c->data + c->pos, n);
	c->pos += n;
	return (ssize_t)n;
}

static const size_t chunks[] = { 1, 2, 3, 5, 64, 1 << 20 };

/* ---- status lines -------------------------------------------------------- */

static const struct {
	const char *in;
	enum larch_status st;
	int code;
	const char *text;
} status_rows[] = {
	{ "200 larch 1 ready\r\n", LARCH_OK, 200, "larch 1 ready" },
	{ "205\r\n", LARCH_OK, 205, "" },
	{ "210 42 matches\n", LARCH_OK, 210, "42 matches" },
	{ "430 no such\tmessage\r\n", LARCH_OK, 430, "no such\tmessage" },
	{ "599  two blanks\r\n", LARCH_OK, 599, " two blanks" },
	{ "100 \xff\xfe\r\n", LARCH_OK, 100, "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "20 x\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "2000 x\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "200x\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "200\tx\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "099 x\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "600 x\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "abc\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "HTTP/1.1 200 OK\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "200 esc\x1b[31m\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "200 cr\rinside\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "200 del\x7f\r\n", LARCH_ERR_PARSE, 0, NULL },
	{ "", LARCH_ERR_IO, 0, NULL },
	{ "200 no line end", LARCH_ERR_IO, 0, NULL },
	{ "2", LARCH_ERR_IO, 0, NULL },
};

static void
test_status(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(status_rows); i++) {
		for (size_t k = 0; k < G_N_ELEMENTS(chunks); k++) {
			struct canned c = { status_rows[i].in,
			    strlen(status_rows[i].in), 0, chunks[k], 0,
			    k % 2 == 1, 0 };
			struct larch_reply *r = larch_reply_new(canned_source,
			    &c, -1);
			struct larch_reply_status st;
			enum larch_status got;

			got = larch_reply_read_status(r, &st);
			g_assert_cmpint(got, ==, status_rows[i].st);
			if (got == LARCH_OK) {
				g_assert_cmpint(st.code, ==,
				    status_rows[i].code);
				g_assert_cmpstr(st.text, ==,
				    status_rows[i].text);
			} else {
				g_assert_cmpstr(larch_reply_error(r), !=, "");
			}
			larch_reply_free(r);
		}
	}
}

/* A NUL inside a status line is garbage, not a shorter line. */
static void
test_status_nul(void)
{
	static const char in[] = "200 a\0b\r\n";
	struct canned c = { in, sizeof(in) - 1, 0, 64, 0, false, 0 };
	struct larch_reply *r = larch_reply_new(canned_source, &c, -1);
	struct larch_reply_status st;

	g_assert_cmpint(larch_reply_read_status(r, &st), ==, LARCH_ERR_PARSE);
	larch_reply_free(r);
}

/* A status line over its cap is refused before it is all read. */
static void
test_status_overlong(void)
{
	GString *in = g_string_new("200 ");
	struct canned c;
	struct larch_reply *r;
	struct larch_reply_status st;

	for (int i = 0; i < LARCH_REPLY_STATUS_MAX * 4; i++)
		g_string_append_c(in, 'x');
	c = (struct canned){ in->str, in->len, 0, 4096, 0, false, 0 };
	r = larch_reply_new(canned_source, &c, -1);
	g_assert_cmpint(larch_reply_read_status(r, &st), ==,
	    LARCH_ERR_TOO_BIG);
	g_assert_cmpuint(c.pos, <, in->len);
	larch_reply_free(r);
	g_string_free(in, TRUE);
}

static void
test_fields(void)
{
	const char *text = "137 2  0\tresults follow";
	guint64 v = 99;
	char *s;

	g_assert_true(larch_reply_field_uint(text, 0, &v));
	g_assert_cmpuint(v, ==, 137);
	g_assert_true(larch_reply_field_uint(text, 1, &v));
	g_assert_cmpuint(v, ==, 2);
	g_assert_true(larch_reply_field_uint(text, 2, &v));
	g_assert_cmpuint(v, ==, 0);
	g_assert_false(larch_reply_field_uint(text, 3, &v));
	g_assert_false(larch_reply_field_uint(text, 9, &v));
	g_assert_false(larch_reply_field_uint("", 0, &v));
	g_assert_false(larch_reply_field_uint("-1", 0, &v));
	g_assert_false(larch_reply_field_uint("12x", 0, &v));
	g_assert_false(larch_reply_field_uint("18446744073709551616", 0, &v));
	g_assert_true(larch_reply_field_uint("9999999999999999999", 0, &v));
	g_assert_cmpuint(v, ==, G_GUINT64_CONSTANT(9999999999999999999));
	s = larch_reply_field("larch 1 ready", 0);
	g_assert_cmpstr(s, ==, "larch");
	g_free(s);
	g_assert_null(larch_reply_field("   ", 0));
}

/* ---- blocks -------------------------------------------------------------- */

static const struct {
	const char *in;
	size_t max;			/* 0: the default cap */
	const char *lines[6];		/* NULL-terminated */
	enum larch_status end;		/* what follows the lines */
} block_rows[] = {
	{ ".\r\n", 0, { NULL }, LARCH_DONE },
	{ "a\r\nb\r\n.\r\n", 0, { "a", "b", NULL }, LARCH_DONE },
	{ "a\nb\n.\n", 0, { "a", "b", NULL }, LARCH_DONE },
	{ "..\r\n...\r\n..x\r\n.\r\n", 0, { ".", "..", ".x", NULL },
	  LARCH_DONE },
	{ ".x\r\n.\r\n", 0, { ".x", NULL }, LARCH_DONE },
	{ ". \r\n.\r\n", 0, { ". ", NULL }, LARCH_DONE },
	{ "\r\n\r\n.\r\n", 0, { "", "", NULL }, LARCH_DONE },
	{ "a\rb\r\n.\r\n", 0, { "a\rb", NULL }, LARCH_DONE },
	{ "a\r\r\n.\r\n", 0, { "a\r", NULL }, LARCH_DONE },
	{ ".\r\r\n.\r\n", 0, { ".\r", NULL }, LARCH_DONE },
	{ "\xff\xfe\xc3\r\n.\r\n", 0, { "\xff\xfe\xc3", NULL }, LARCH_DONE },
	{ "a\r\n.\r\nnext\r\n", 0, { "a", NULL }, LARCH_DONE },
	/* the server closed early */
	{ "", 0, { NULL }, LARCH_ERR_IO },
	{ "a\r\n", 0, { "a", NULL }, LARCH_ERR_IO },
	{ "a\r\nb", 0, { "a", NULL }, LARCH_ERR_IO },
	{ ".", 0, { NULL }, LARCH_ERR_IO },
	{ ".\r", 0, { NULL }, LARCH_ERR_IO },
	/* caps */
	{ "12345678\r\n.\r\n", 8, { "12345678", NULL }, LARCH_DONE },
	{ "12345678\n.\r\n", 8, { "12345678", NULL }, LARCH_DONE },
	{ "123456789\r\n.\r\n", 8, { NULL }, LARCH_ERR_TOO_BIG },
	{ "ok\r\n1234567890123456789", 8, { "ok", NULL }, LARCH_ERR_TOO_BIG },
	{ "...45678\r\n.\r\n", 8, { "..45678", NULL }, LARCH_DONE },
};

static void
test_blocks(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(block_rows); i++) {
		for (size_t k = 0; k < G_N_ELEMENTS(chunks); k++) {
			struct canned c = { block_rows[i].in,
			    strlen(block_rows[i].in), 0, chunks[k], 0,
			    k % 2 == 0, 0 };
			struct larch_reply *r = larch_reply_new(canned_source,
			    &c, -1);
			const char *line;
			size_t len, n = 0;
			enum larch_status st;

			while ((st = larch_reply_read_line(r, block_rows[i].max,
			    &line, &len)) == LARCH_OK) {
				g_assert_nonnull(block_rows[i].lines[n]);
				g_assert_cmpstr(line, ==,
				    block_rows[i].lines[n]);
				g_assert_cmpuint(len, ==, strlen(line));
				n++;
			}
			g_assert_null(block_rows[i].lines[n]);
			g_assert_cmpint(st, ==, block_rows[i].end);
			larch_reply_free(r);
		}
	}
}

/* Data lines may hold NUL bytes; the length tells. */
static void
test_block_nul(void)
{
	static const char in[] = "a\0b\r\n.\r\n";
	struct canned c = { in, sizeof(in) - 1, 0, 3, 0, false, 0 };
	struct larch_reply *r = larch_reply_new(canned_source, &c, -1);
	const char *line;
	size_t len;

	g_assert_cmpint(larch_reply_read_line(r, 0, &line, &len), ==,
	    LARCH_OK);
	g_assert_cmpuint(len, ==, 3);
	g_assert_cmpmem(line, len, "a\0b", 3);
	g_assert_cmpint(larch_reply_read_line(r, 0, &line, &len), ==,
	    LARCH_DONE);
	larch_reply_free(r);
}

/* A block, then the next reply's status line: pipelined replies. */
static void
test_pipelined(void)
{
	static const char in[] =
	    "211 1 1 0 results follow\r\n..row\r\n.\r\n205 bye\r\n";
	struct canned c = { in, sizeof(in) - 1, 0, 7, 0, false, 0 };
	struct larch_reply *r = larch_reply_new(canned_source, &c, -1);
	struct larch_reply_status st;
	const char *line;
	size_t len;

	g_assert_cmpint(larch_reply_read_status(r, &st), ==, LARCH_OK);
	g_assert_cmpint(st.code, ==, 211);
	g_assert_cmpint(larch_reply_read_line(r, 0, &line, &len), ==,
	    LARCH_OK);
	g_assert_cmpstr(line, ==, ".row");
	g_assert_cmpint(larch_reply_read_line(r, 0, &line, &len), ==,
	    LARCH_DONE);
	g_assert_cmpint(larch_reply_read_status(r, &st), ==, LARCH_OK);
	g_assert_cmpint(st.code, ==, 205);
	g_assert_cmpint(larch_reply_read_status(r, &st), ==, LARCH_ERR_IO);
	larch_reply_free(r);
}

/* A read error other than EOF is an I/O failure with its reason. */
static void
test_read_error(void)
{
	struct canned c = { "a\r\n", 3, 0, 64, ECONNRESET, false, 0 };
	struct larch_reply *r = larch_reply_new(canned_source, &c, -1);
	const char *line;
	size_t len;

	g_assert_cmpint(larch_reply_read_line(r, 0, &line, &len), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_reply_read_line(r, 0, &line, &len), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(strstr(larch_reply_error(r), g_strerror(ECONNRESET)));
	larch_reply_free(r);
}

/* The default data cap is 1 MiB: a line of exactly that passes, one
 * byte more does not, and the buffer never holds much more. */
static void
test_data_cap(void)
{
	size_t n = LARCH_REPLY_DATA_MAX;
	char *in = g_malloc(2 * n + 16);
	size_t len = 0;
	struct canned c;
	struct larch_reply *r;
	const char *line;
	size_t got;

	memset(in, 'x', n);
	memcpy(in + n, "\r\n", 2);
	len = n + 2;
	memset(in + len, 'y', n + 1);
	len += n + 1;
	memcpy(in + len, "\r\n.\r\n", 5);
	len += 5;
	c = (struct canned){ in, len, 0, 65536, 0, false, 0 };
	r = larch_reply_new(canned_source, &c, -1);
	g_assert_cmpint(larch_reply_read_line(r, 0, &line, &got), ==,
	    LARCH_OK);
	g_assert_cmpuint(got, ==, n);
	g_assert_cmpint(larch_reply_read_line(r, 0, &line, &got), ==,
	    LARCH_ERR_TOO_BIG);
	larch_reply_free(r);
	g_free(in);
}

/* ---- RAW pieces ---------------------------------------------------------- */

/* Reads a block in pieces of max bytes; returns the lines, each ended
 * with LF, as one string, and the final status in *end. */
static char *
read_pieces(const char *in, size_t max, size_t chunk, enum larch_status *end)
{
	struct canned c = { in, strlen(in), 0, chunk, 0, false, 0 };
	struct larch_reply *r = larch_reply_new(canned_source, &c, -1);
	GString *out = g_string_new(NULL);
	const char *data;
	size_t len;
	bool more;

	while ((*end = larch_reply_read_piece(r, max, &data, &len, &more)) ==
	    LARCH_OK) {
		g_assert_cmpuint(len, <=, max);
		g_string_append_len(out, data, (gssize)len);
		if (!more)
			g_string_append_c(out, '\n');
	}
	larch_reply_free(r);
	return g_string_free(out, FALSE);
}

static const struct {
	const char *in;
	size_t max;
	const char *out;
	enum larch_status end;
} piece_rows[] = {
	{ "..abcdefgh\r\n.\r\n", 4, ".abcdefgh\n", LARCH_DONE },
	{ "abcde\r\n.\r\n", 4, "abcde\n", LARCH_DONE },
	{ "abc\rd\r\n.\r\n", 4, "abc\rd\n", LARCH_DONE },
	{ "abcd\r\n.\r\n", 3, "abcd\n", LARCH_DONE },
	{ "ab\r\r\r\n.\r\n", 3, "ab\r\r\n", LARCH_DONE },
	/* a continued piece that starts with dots is data */
	{ "abc...\r\n..\r\n.\r\n", 3, "abc...\n.\n", LARCH_DONE },
	{ "abc.\r\n.\r\n", 3, "abc.\n", LARCH_DONE },
	{ ".\r\n", 2, "", LARCH_DONE },
	{ "aaaaaaaaaa", 4, "", LARCH_ERR_IO },
	{ "aaaaaaaaaa\r\n", 4, "aaaaaaaaaa\n", LARCH_ERR_IO },
};

static void
test_pieces(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(piece_rows); i++) {
		for (size_t k = 0; k < G_N_ELEMENTS(chunks); k++) {
			enum larch_status end;
			char *out = read_pieces(piece_rows[i].in,
			    piece_rows[i].max, chunks[k], &end);

			if (piece_rows[i].end == LARCH_DONE)
				g_assert_cmpstr(out, ==, piece_rows[i].out);
			g_assert_cmpint(end, ==, piece_rows[i].end);
			g_free(out);
		}
	}
}

/* ---- timeouts over a real socket ----------------------------------------- */

struct trickle {
	int fd;
	const char *data;
	unsigned int delay_ms;
};

static gpointer
trickle_thread(gpointer p)
{
	struct trickle *t = p;

	for (const char *c = t->data; *c != '\0'; c++) {
		/* MSG_NOSIGNAL: the reader may hang up first. */
		if (send(t->fd, c, 1, MSG_NOSIGNAL) != 1)
			break;
		g_usleep(t->delay_ms * 1000);
	}
	return NULL;
}

/* A silent server times out after the timeout, not before, not much
 * later. */
static void
test_timeout_silent(void)
{
	int sv[2];
	struct larch_reply *r;
	struct larch_reply_status st;
	gint64 start;
	double secs;

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
	g_assert_cmpint(write(sv[1], "200 par", 7), ==, 7);
	r = larch_reply_new_fd(sv[0], 200);
	start = g_get_monotonic_time();
	g_assert_cmpint(larch_reply_read_status(r, &st), ==,
	    LARCH_ERR_TIMEOUT);
	secs = (g_get_monotonic_time() - start) / 1e6;
	g_assert_cmpfloat(secs, >=, 0.19);
	g_assert_cmpfloat(secs, <, 2.0);
	larch_reply_free(r);
	close(sv[0]);
	close(sv[1]);
}

/* A server that trickles a byte every 40 ms keeps no line alive past the
 * timeout: the deadline is per line, not per read. */
static void
test_timeout_trickle(void)
{
	int sv[2];
	struct trickle t;
	GThread *thread;
	struct larch_reply *r;
	struct larch_reply_status st;
	gint64 start;

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
	t = (struct trickle){ sv[1],
	    "200 a line that takes about two seconds to arrive in full\r\n",
	    40 };
	thread = g_thread_new("trickle", trickle_thread, &t);
	r = larch_reply_new_fd(sv[0], 300);
	start = g_get_monotonic_time();
	g_assert_cmpint(larch_reply_read_status(r, &st), ==,
	    LARCH_ERR_TIMEOUT);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 1500000);
	larch_reply_free(r);
	shutdown(sv[0], SHUT_RDWR);
	g_thread_join(thread);
	close(sv[0]);
	close(sv[1]);
}

/* A line in slow pieces within the timeout is read whole; the peer's
 * close after it is an I/O error. */
static void
test_fd_slow_then_close(void)
{
	int sv[2];
	struct trickle t;
	GThread *thread;
	struct larch_reply *r;
	struct larch_reply_status st;

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
	t = (struct trickle){ sv[1], "205 bye\r\n", 10 };
	thread = g_thread_new("trickle", trickle_thread, &t);
	r = larch_reply_new_fd(sv[0], 2000);
	g_assert_cmpint(larch_reply_read_status(r, &st), ==, LARCH_OK);
	g_assert_cmpint(st.code, ==, 205);
	g_assert_cmpstr(st.text, ==, "bye");
	g_thread_join(thread);
	close(sv[1]);
	g_assert_cmpint(larch_reply_read_status(r, &st), ==, LARCH_ERR_IO);
	larch_reply_free(r);
	close(sv[0]);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/client-reply/status", test_status);
	g_test_add_func("/client-reply/status-nul", test_status_nul);
	g_test_add_func("/client-reply/status-overlong", test_status_overlong);
	g_test_add_func("/client-reply/fields", test_fields);
	g_test_add_func("/client-reply/blocks", test_blocks);
	g_test_add_func("/client-reply/block-nul", test_block_nul);
	g_test_add_func("/client-reply/pipelined", test_pipelined);
	g_test_add_func("/client-reply/read-error", test_read_error);
	g_test_add_func("/client-reply/data-cap", test_data_cap);
	g_test_add_func("/client-reply/pieces", test_pieces);
	g_test_add_func("/client-reply/timeout-silent", test_timeout_silent);
	g_test_add_func("/client-reply/timeout-trickle",
	    test_timeout_trickle);
	g_test_add_func("/client-reply/fd-slow-then-close",
	    test_fd_slow_then_close);
	return g_test_run();
}
