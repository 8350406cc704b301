/*
 * Fuzz target for the line protocol (include/larch/proto.h): a request
 * line through larch_proto_parse() and the input through every reply
 * formatter.
 *
 * Checks: a refusal and its reason agree; an accepted request has a known
 * command, an argument count within the table's bounds, blank-free
 * arguments and, for query commands, a trimmed non-empty UTF-8 query;
 * every status line is one UTF-8 line ending in CRLF; a data line is one
 * line; a text block, undone (dot-unstuffed, CRLF to LF), gives back the
 * text.  The line cap (default or tiny) comes from a hash of the input.
 */
#include <string.h>
#include <glib.h>

#include "larch/proto.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* out[from..] is exactly one line "NNN text\r\n" of UTF-8. */
static void
assert_status_line(const GString *out, size_t from)
{
	const char *p = out->str + from;
	size_t n = out->len - from;

	g_assert_cmpuint(n, >=, 6);
	g_assert_true(g_ascii_isdigit(p[0]) && g_ascii_isdigit(p[1]) &&
	    g_ascii_isdigit(p[2]) && p[3] == ' ');
	g_assert_true(p[n - 2] == '\r' && p[n - 1] == '\n');
	for (size_t i = 0; i < n - 2; i++)
		g_assert_true(p[i] != '\r' && p[i] != '\n' && p[i] != '\0');
	g_assert_true(g_utf8_validate(p, (gssize)n, NULL));
}

static void
check_request(const uint8_t *data, size_t size, size_t max_len)
{
	struct larch_proto_request req;
	enum larch_status st;
	GString *out;

	st = larch_proto_parse((const char *)data, size, max_len, &req);
	g_assert_cmpint(st == LARCH_OK, ==, req.error == LARCH_PROTO_ERR_NONE);
	if (st != LARCH_OK) {
		g_assert_nonnull(req.detail);
		out = g_string_new(NULL);
		larch_proto_append_error(out, &req);
		assert_status_line(out, 0);
		g_assert_cmpint(atoi(out->str), ==,
		    larch_proto_error_code(req.error));
		g_string_free(out, TRUE);
	} else {
		const struct larch_proto_command *def;

		g_assert_cmpint(req.cmd, >=, 0);
		g_assert_cmpint(req.cmd, <, LARCH_PROTO_N_CMDS);
		def = &larch_proto_commands[req.cmd];
		g_assert_nonnull(req.cmd_name);
		g_assert_true(larch_proto_command_lookup(req.cmd_name,
		    strlen(req.cmd_name)) == def);
		g_assert_cmpuint(req.argc, >=, def->min_args);
		g_assert_cmpuint(req.argc, <=, def->max_args);
		g_assert_cmpuint(req.argc, <=, LARCH_PROTO_ARGS_MAX);
		for (unsigned i = 0; i < req.argc; i++) {
			const char *a = req.argv[i];
			size_t n = strlen(a);

			g_assert_cmpuint(n, >, 0);
			/* A rest-of-line argument (STATS' list name) holds
			 * blanks only inside; a word none. */
			if (def->flags & LARCH_PROTO_TAKES_REST)
				g_assert_true(strchr(" \t", a[0]) == NULL &&
				    strchr(" \t", a[n - 1]) == NULL);
			else
				g_assert_null(strpbrk(a, " \t"));
		}
		if (def->flags & LARCH_PROTO_TAKES_QUERY) {
			size_t n;

			g_assert_nonnull(req.query);
			n = strlen(req.query);
			g_assert_cmpuint(n, >, 0);
			g_assert_true(req.query[0] != ' ' &&
			    req.query[0] != '\t');
			g_assert_true(req.query[n - 1] != ' ' &&
			    req.query[n - 1] != '\t');
			g_assert_true(g_utf8_validate(req.query, -1, NULL));
		} else {
			g_assert_null(req.query);
		}
		g_assert_cmpuint(req.search.limit, >=, 1);
		g_assert_cmpuint(req.search.limit, <=, LARCH_PROTO_LIMIT_MAX);
		g_assert_cmpuint(req.search.offset, <=,
		    LARCH_PROTO_OFFSET_MAX);
	}
	larch_proto_request_release(&req);
	larch_proto_request_release(&req);
	g_assert_cmpint(req.cmd, ==, LARCH_PROTO_CMD_NONE);
}

/* Undoes larch_proto_append_text(): the text it was given, with CRLF
 * read as LF and a final LF added when the text had none. */
static void
check_text_block(const uint8_t *data, size_t size)
{
	GString *out = g_string_new(NULL), *undone = g_string_new(NULL);
	GString *expect = g_string_new(NULL);
	const char *p, *end;

	larch_proto_append_text(out, (const char *)data, (gssize)size);
	p = out->str;
	end = out->str + out->len;
	while (p < end) {
		const char *crlf = memmem(p, (size_t)(end - p), "\r\n", 2);
		size_t n;

		g_assert_nonnull(crlf);
		n = (size_t)(crlf - p);
		/* Never the terminator, never an unstuffed dot. */
		g_assert_false(n == 1 && p[0] == '.');
		if (n > 0 && p[0] == '.') {
			g_assert_true(n >= 2 && p[1] == '.');
			p++;
			n--;
		}
		g_string_append_len(undone, p, (gssize)n);
		g_string_append_c(undone, '\n');
		p = crlf + 2;
	}
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
			continue;
		g_string_append_c(expect, (char)data[i]);
	}
	if (expect->len > 0 && expect->str[expect->len - 1] != '\n')
		g_string_append_c(expect, '\n');
	g_assert_cmpuint(undone->len, ==, expect->len);
	g_assert_true(memcmp(undone->str, expect->str, expect->len) == 0);
	g_string_free(out, TRUE);
	g_string_free(undone, TRUE);
	g_string_free(expect, TRUE);
}

static void
check_formatters(const uint8_t *data, size_t size)
{
	GString *out = g_string_new(NULL);
	char *text = g_strndup((const char *)data, size);
	size_t n;

	/* A status line stays one line whatever its text. */
	larch_proto_append_status(out, 200 + (int)(size % 400), text);
	assert_status_line(out, 0);
	g_string_truncate(out, 0);
	larch_proto_append_statusf(out, 599, "'%s' %zu", text, size);
	assert_status_line(out, 0);
	g_string_truncate(out, 0);

	/* A data line is one line: dot-stuffed, CR and LF blanked. */
	larch_proto_append_line(out, (const char *)data, (gssize)size);
	n = out->len;
	g_assert_cmpuint(n, >=, 2);
	g_assert_true(out->str[n - 2] == '\r' && out->str[n - 1] == '\n');
	g_assert_null(memchr(out->str, '\n', n - 1));
	g_assert_null(memchr(out->str, '\r', n - 2));
	if (size > 0 && data[0] == '.')
		g_assert_cmpuint(n, ==, size + 3);
	else
		g_assert_cmpuint(n, ==, size + 2);
	g_string_truncate(out, 0);
	larch_proto_append_end(out);
	g_assert_cmpstr(out->str, ==, ".\r\n");
	g_string_free(out, TRUE);
	g_free(text);

	check_text_block(data, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[] = { 0, 0, 16, 4 };
	uint64_t h = fuzz_hash(data, size);

	check_request(data, size, caps[h % G_N_ELEMENTS(caps)]);
	check_formatters(data, size);
	return 0;
}
