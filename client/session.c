/*
 * One run of the client: connection, greeting, pipelined request and the
 * rendering of each command's reply.  Owned by the client; see session.h.
 * Every reply is checked against docs/protocol.md before it is believed:
 * the code must be the command's, the status fields numbers, the rows
 * complete and as many as announced.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "connect.h"
#include "session.h"

#define QUIT_WAIT_MS	1000	/* the result is out; do not linger */

/* The exit code for a failed read of the reply, after saying why. */
static int
read_failed(struct larch_session *s, enum larch_status st)
{
	fprintf(stderr, "larch: %s: %s\n", s->name,
	    larch_reply_error(s->reply_));
	return st == LARCH_ERR_IO || st == LARCH_ERR_TIMEOUT ?
	    LARCH_EXIT_CONNECT : LARCH_EXIT_SERVER;
}

static int
unexpected(struct larch_session *s, const char *what)
{
	fprintf(stderr, "larch: %s: unexpected reply from the server: %s\n",
	    s->name, what);
	return LARCH_EXIT_SERVER;
}

#define FAULT_CONTEXT	30	/* characters shown each side of a fault */

/*
 * 505's text starts with the byte offset of the fault in the query:
 * show the query with a caret under that place.  A long query is shown
 * around the fault only, so that the caret stays on the screen.
 */
static void
show_query_fault(const struct larch_session *s, const char *text)
{
	GString *shown = g_string_new(NULL);
	const char *q = s->query, *start, *end;
	size_t at, len, caret;

	if (q == NULL || !g_ascii_isdigit(text[0]))
		goto free_shown;
	len = strlen(q);
	at = MIN(g_ascii_strtoull(text, NULL, 10), len);
	/* The offset is a byte's; start at the character holding it. */
	start = g_utf8_find_prev_char(q, q + at + 1);
	start = start != NULL ? start : q;
	at = (size_t)(start - q);
	end = start;
	for (int i = 0; i < FAULT_CONTEXT && start > q; i++)
		start = g_utf8_find_prev_char(q, start);
	for (int i = 0; i < FAULT_CONTEXT && *end != '\0'; i++)
		end = g_utf8_next_char(end);
	if (start > q)
		g_string_append(shown, "\u2026");
	caret = larch_output_width(shown->str, -1) +
	    larch_output_width(start, (gssize)(q + at - start));
	larch_output_append_clean(shown, start, end - start, false);
	if ((size_t)(end - q) < len)
		g_string_append(shown, "\u2026");
	fprintf(stderr, "  %s\n  %*s^\n", shown->str, (int)caret, "");
free_shown:
	g_string_free(shown, TRUE);
}

/* The exit code for a reply other than success, after saying why. */
static int
refused(struct larch_session *s, int code, const char *text)
{
	if (code < 400) {
		/* Another command's success: the stream is out of step. */
		fprintf(stderr, "larch: %s: unexpected reply from the server: "
		    "%d %s\n", s->name, code, text);
		return LARCH_EXIT_SERVER;
	}
	fprintf(stderr, "larch: %s: %d %s\n", s->name, code, text);
	switch (code) {
	case 430:
		return LARCH_EXIT_NOTHING;
	case 400:
		return LARCH_EXIT_CONNECT;
	case 505:
		show_query_fault(s, text);
		return LARCH_EXIT_USAGE;
	case 501:
	case 504:
	case 506:	/* a query longer than this server's LINE-MAX */
		return LARCH_EXIT_USAGE;
	default:
		return LARCH_EXIT_SERVER;
	}
}

/*
 * Writes the rest of a block as it comes, each line ended with LF, and
 * counts its lines into *lines (when not NULL): --json, SHOW and SUMMARY
 * text when nothing is cleaned, and RAW, whose bytes on a terminal are
 * cleaned of what would drive it (clean).  Lines come in pieces, so no
 * line is too long: a JSON object holds a whole message or thread
 * summary on one line, and escaped (a TAB or a quote is two bytes, a
 * control character six) the 1 MiB of text a message may have makes a
 * longer one than any cap that suits the lines the client must parse.
 */
static enum larch_status
pass_block(struct larch_session *s, guint64 *lines, bool clean)
{
	const char *data;
	size_t len;
	bool more, c2 = false;
	enum larch_status st;

	while ((st = larch_reply_read_piece(s->reply_, LARCH_REPLY_PIECE_MAX,
	    &data, &len, &more)) == LARCH_OK) {
		if (clean)
			larch_output_raw_clean(s->out->out, data, len, &c2);
		else
			fwrite(data, 1, len, s->out->out);
		if (more)
			continue;
		if (clean)
			larch_output_raw_clean(s->out->out, NULL, 0, &c2);
		fputc('\n', s->out->out);
		if (lines != NULL)
			(*lines)++;
	}
	return st;
}

/*
 * The rows of a SEARCH or THREAD block (thread rows lead with a depth):
 * passed through in JSON, rendered otherwise; exactly expected of them.
 * what names the row for the error when one is malformed.
 */
static int
read_rows(struct larch_session *s, guint64 expected, bool depth,
    const char *what)
{
	guint64 rows = 0;
	const char *line;
	size_t len;
	enum larch_status st;

	if (s->json)
		st = pass_block(s, &rows, false);
	else
		while ((st = larch_reply_read_line(s->reply_, 0, &line,
		    &len)) == LARCH_OK) {
			struct larch_row row;

			rows++;
			if (!larch_row_parse(line, len, depth, &row))
				return unexpected(s, what);
			larch_output_row(s->out, &row);
			larch_row_release(&row);
		}
	if (st != LARCH_DONE)
		return read_failed(s, st);
	if (rows != expected)
		return unexpected(s, "the row count differs from the status "
		    "line's");
	return rows > 0 ? LARCH_EXIT_FOUND : LARCH_EXIT_NOTHING;
}

static int
handle_search(struct larch_session *s, const char *text)
{
	guint64 total, returned, offset;
	char *exactness;

	if (!larch_reply_field_uint(text, 0, &total) ||
	    !larch_reply_field_uint(text, 1, &returned) ||
	    !larch_reply_field_uint(text, 2, &offset))
		return unexpected(s, "211 without total, returned, offset");
	/* Only "estimated" marks an estimate: a server from before the
	 * field says "results" there. */
	exactness = larch_reply_field(text, 3);
	if (!s->json)
		larch_output_search_header(s->out, total,
		    g_strcmp0(exactness, "estimated") != 0, returned, offset,
		    s->threads);
	g_free(exactness);
	return read_rows(s, returned, false,
	    "a search row without its 8 fields");
}

static int
handle_count(struct larch_session *s, const char *text)
{
	guint64 n;

	if (!larch_reply_field_uint(text, 0, &n))
		return unexpected(s, "210 without a number");
	/* A bare number is a JSON value too: --json output stays JSON. */
	fprintf(s->out->out, "%" G_GUINT64_FORMAT "\n", n);
	return n > 0 ? LARCH_EXIT_FOUND : LARCH_EXIT_NOTHING;
}

static int
handle_thread(struct larch_session *s, const char *text)
{
	guint64 n;

	if (!larch_reply_field_uint(text, 0, &n))
		return unexpected(s, "230 without a message count");
	if (!s->json)
		larch_output_thread_header(s->out, n);
	return read_rows(s, n, true,
	    "a thread row without its depth and 8 fields");
}

/* SHOW and SUMMARY: lines of text. */
static int
handle_text(struct larch_session *s, const char *text)
{
	const char *line;
	size_t len;
	enum larch_status st;

	if (s->json || !s->out->tty)
		st = pass_block(s, NULL, false);
	else
		while ((st = larch_reply_read_line(s->reply_, 0, &line,
		    &len)) == LARCH_OK)
			larch_output_text(s->out, line, len);
	return st == LARCH_DONE ? LARCH_EXIT_FOUND : read_failed(s, st);
}

/*
 * RAW: the original bytes, whatever their charset, each line ended with
 * LF as in the archive; on a terminal, without the control characters
 * any sender to the list could have put there to drive it.  Lines come
 * in pieces so a message with a huge line costs no more memory than a
 * small one.
 */
static int
handle_raw(struct larch_session *s, const char *text)
{
	enum larch_status st = pass_block(s, NULL, s->out->tty);

	return st == LARCH_DONE ? LARCH_EXIT_FOUND : read_failed(s, st);
}

static int
handle_lists(struct larch_session *s, const char *text)
{
	const char *line;
	size_t len;
	enum larch_status st;

	if (s->json)
		st = pass_block(s, NULL, false);
	else
		while ((st = larch_reply_read_line(s->reply_, 0, &line,
		    &len)) == LARCH_OK)
			larch_output_lists_row(s->out, line, len);
	larch_output_lists_flush(s->out);
	return st == LARCH_DONE ? LARCH_EXIT_FOUND : read_failed(s, st);
}

static int
handle_stats(struct larch_session *s, const char *text)
{
	const char *line;
	size_t len;
	enum larch_status st;

	if (s->json)
		st = pass_block(s, NULL, false);
	else
		while ((st = larch_reply_read_line(s->reply_, 0, &line,
		    &len)) == LARCH_OK)
			larch_output_stats_line(s->out, line, len);
	larch_output_stats_flush(s->out);
	return st == LARCH_DONE ? LARCH_EXIT_FOUND : read_failed(s, st);
}

/* Reads and checks "200 larch <version> ...". */
static int
read_greeting(struct larch_session *s)
{
	struct larch_reply_status st;
	enum larch_status rc = larch_reply_read_status(s->reply_, &st);
	guint64 version;
	char *service;
	bool ours;

	if (rc != LARCH_OK) {
		fprintf(stderr, "larch: %s: %s\n", s->addr,
		    larch_reply_error(s->reply_));
		return rc == LARCH_ERR_IO || rc == LARCH_ERR_TIMEOUT ?
		    LARCH_EXIT_CONNECT : LARCH_EXIT_SERVER;
	}
	if (st.code != 200) {
		fprintf(stderr, "larch: %s: %s: %d %s\n", s->addr,
		    st.code == 400 ? "service unavailable" :
		    "unexpected greeting", st.code, st.text);
		return st.code == 400 ? LARCH_EXIT_CONNECT : LARCH_EXIT_SERVER;
	}
	service = larch_reply_field(st.text, 0);
	ours = service != NULL && strcmp(service, "larch") == 0;
	g_free(service);
	if (!ours || !larch_reply_field_uint(st.text, 1, &version)) {
		fprintf(stderr, "larch: %s: not a larch server: 200 %s\n",
		    s->addr, st.text);
		return LARCH_EXIT_SERVER;
	}
	if (version != LARCH_PROTO_VERSION) {
		fprintf(stderr, "larch: %s: the server speaks protocol "
		    "version %" G_GUINT64_FORMAT ", this client %d\n",
		    s->addr, version, LARCH_PROTO_VERSION);
		return LARCH_EXIT_SERVER;
	}
	return LARCH_EXIT_FOUND;
}

/*
 * Reads the replies to the AUTH lines pipelined before the command.  A
 * rejected token is the user's to fix (exit 2); a server without AUTH
 * serves no private lists, so the token is not needed there.
 */
static int
read_auth(struct larch_session *s)
{
	for (size_t i = 0; s->tokens != NULL && s->tokens[i] != NULL; i++) {
		struct larch_reply_status st;
		enum larch_status rc = larch_reply_read_status(s->reply_, &st);

		if (rc != LARCH_OK)
			return read_failed(s, rc);
		if (st.code == 281)
			continue;
		if (st.code == 481) {
			fprintf(stderr, "larch: %s: the server rejected token "
			    "%zu of LARCH_TOKEN (%d %s); check it, or unset "
			    "LARCH_TOKEN for the public lists only\n",
			    s->name, i + 1, st.code, st.text);
			return LARCH_EXIT_USAGE;
		}
		if (st.code == 500) {
			fprintf(stderr, "larch: %s: the server has no private "
			    "lists (AUTH: %d %s); LARCH_TOKEN is not needed\n",
			    s->name, st.code, st.text);
			continue;
		}
		fprintf(stderr, "larch: %s: AUTH failed: %d %s\n", s->name,
		    st.code, st.text);
		return st.code == 400 ? LARCH_EXIT_CONNECT : LARCH_EXIT_SERVER;
	}
	return LARCH_EXIT_FOUND;
}

/* Reads the reply to FORMAT json 1, pipelined before the command. */
static int
read_format(struct larch_session *s)
{
	struct larch_reply_status st;
	enum larch_status rc = larch_reply_read_status(s->reply_, &st);

	if (rc != LARCH_OK)
		return read_failed(s, rc);
	if (st.code != 206) {
		/* The user asked for nothing wrong: the server lacks it. */
		fprintf(stderr, "larch: %s: the server refused JSON schema %d: "
		    "%d %s\n", s->name, LARCH_PROTO_SCHEMA, st.code,
		    st.text);
		return st.code == 400 ? LARCH_EXIT_CONNECT : LARCH_EXIT_SERVER;
	}
	return LARCH_EXIT_FOUND;
}

/* Each command's reply code of success and what reads its reply. */
static const struct {
	int success;
	int (*handle)(struct larch_session *s, const char *text);
} replies[LARCH_PROTO_N_CMDS] = {
	[LARCH_PROTO_CMD_SEARCH] = { 211, handle_search },
	[LARCH_PROTO_CMD_COUNT] = { 210, handle_count },
	[LARCH_PROTO_CMD_THREAD] = { 230, handle_thread },
	[LARCH_PROTO_CMD_SHOW] = { 221, handle_text },
	[LARCH_PROTO_CMD_RAW] = { 220, handle_raw },
	[LARCH_PROTO_CMD_SUMMARY] = { 231, handle_text },
	[LARCH_PROTO_CMD_LISTS] = { 215, handle_lists },
	[LARCH_PROTO_CMD_STATS] = { 216, handle_stats },
};

int
larch_session_run(struct larch_session *s, const char *request)
{
	GString *out = g_string_new(NULL);
	struct larch_reply_status st;
	enum larch_status rc;
	char *err = NULL;
	int code;

	g_assert(s->cmd >= 0 && s->cmd < LARCH_PROTO_N_CMDS &&
	    replies[s->cmd].handle != NULL);
	s->fd_ = -1;
	s->reply_ = NULL;
	rc = larch_connect_open(s->addr, s->timeout_ms, &s->fd_, &err);
	if (rc != LARCH_OK) {
		fprintf(stderr, "larch: %s\n", err);
		if (rc != LARCH_ERR_INVALID)
			fprintf(stderr, "larch: is larchd running there?  Start "
			    "it (larchd --index DIR --listen ADDR), or give its "
			    "address with --connect or LARCH_CONNECT.\n");
		g_free(err);
		g_string_free(out, TRUE);
		return rc == LARCH_ERR_INVALID ? LARCH_EXIT_USAGE :
		    LARCH_EXIT_CONNECT;
	}
	s->reply_ = larch_reply_new_fd(s->fd_, s->timeout_ms);
	code = read_greeting(s);
	if (code != LARCH_EXIT_FOUND)
		goto done;

	/* One write: AUTH, FORMAT, the command and QUIT are pipelined. */
	for (size_t i = 0; s->tokens != NULL && s->tokens[i] != NULL; i++)
		g_string_append_printf(out, "AUTH %s\r\n", s->tokens[i]);
	if (s->json)
		g_string_append_printf(out, "FORMAT json %d\r\n",
		    LARCH_PROTO_SCHEMA);
	g_string_append_printf(out, "%s\r\nQUIT\r\n", request);
	rc = larch_connect_send(s->fd_, out->str, out->len, s->timeout_ms,
	    &err);
	if (rc != LARCH_OK) {
		fprintf(stderr, "larch: %s: %s\n", s->addr, err);
		g_free(err);
		code = LARCH_EXIT_CONNECT;
		goto done;
	}
	if ((code = read_auth(s)) != LARCH_EXIT_FOUND)
		goto done;
	if (s->json && (code = read_format(s)) != LARCH_EXIT_FOUND)
		goto done;

	rc = larch_reply_read_status(s->reply_, &st);
	if (rc != LARCH_OK) {
		code = read_failed(s, rc);
		goto done;
	}
	if (st.code != replies[s->cmd].success) {
		code = refused(s, st.code, st.text);
		goto done;
	}
	code = replies[s->cmd].handle(s, st.text);
	if (code > LARCH_EXIT_NOTHING)
		goto done;
	/* The answer is complete; QUIT's 205 is a courtesy to wait for. */
	fflush(s->out->out);
	larch_reply_set_timeout(s->reply_, MIN(s->timeout_ms, QUIT_WAIT_MS));
	(void)larch_reply_read_status(s->reply_, &st);
done:
	larch_reply_free(s->reply_);
	s->reply_ = NULL;
	close(s->fd_);
	s->fd_ = -1;
	g_string_free(out, TRUE);
	return code;
}
