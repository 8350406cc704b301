/* Tests for lib/proto.c: request parsing and reply framing. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "larch/proto.h"

#define C(x) LARCH_PROTO_CMD_##x
#define E(x) LARCH_PROTO_ERR_##x

static const struct {
	const char *in;
	size_t len;			/* 0: strlen(in) */
	enum larch_proto_cmd cmd;
	enum larch_proto_error err;
	unsigned int argc;
	const char *query;		/* NULL: none expected */
} parse_rows[] = {
	/* framing */
	{ "", 0, C(NONE), E(EMPTY), 0, NULL },
	{ "\r\n", 0, C(NONE), E(EMPTY), 0, NULL },
	{ "\n", 0, C(NONE), E(EMPTY), 0, NULL },
	{ "    \r\n", 0, C(NONE), E(EMPTY), 0, NULL },
	{ " \t \t", 0, C(NONE), E(EMPTY), 0, NULL },
	{ "\r", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "HELP\r", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "HELP\r\r\n", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "HELP\n\n", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "HELP", 0, C(HELP), E(NONE), 0, NULL },
	{ "HELP\n", 0, C(HELP), E(NONE), 0, NULL },
	{ "HELP\r\n", 0, C(HELP), E(NONE), 0, NULL },
	{ "  help  \r\n", 0, C(HELP), E(NONE), 0, NULL },
	{ "HELP\0\r\n", 7, C(NONE), E(ENCODING), 0, NULL },
	{ "\0", 1, C(NONE), E(ENCODING), 0, NULL },
	{ "LISTS \x1b[2J", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "LISTS \x7f", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "SHOW <\xff@x>", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "SHOW <\xc3@x>", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "SHOW <\xc0\xaf@x>", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "SHOW <\xe0\x80\xaf@x>", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "SHOW <\xed\xa0\x80@x>", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "SHOW <\xf4\x90\x80\x80@x>", 0, C(NONE), E(ENCODING), 0, NULL },
	{ "SHOW <caf\xc3\xa9@x>", 0, C(SHOW), E(NONE), 1, NULL },
	/* unknown commands */
	{ "FROB", 0, C(NONE), E(UNKNOWN), 0, NULL },
	{ "HELPX", 0, C(NONE), E(UNKNOWN), 0, NULL },
	{ "HEL", 0, C(NONE), E(UNKNOWN), 0, NULL },
	{ "AUTHX token", 0, C(NONE), E(UNKNOWN), 0, NULL },
	{ "-- SEARCH", 0, C(NONE), E(UNKNOWN), 0, NULL },
	/* argument counts, every command */
	{ "CAPABILITIES", 0, C(CAPABILITIES), E(NONE), 0, NULL },
	{ "CAPABILITIES x", 0, C(CAPABILITIES), E(ARGS), 0, NULL },
	{ "LISTS", 0, C(LISTS), E(NONE), 0, NULL },
	{ "LISTS mag", 0, C(LISTS), E(ARGS), 0, NULL },
	{ "STATS", 0, C(STATS), E(NONE), 0, NULL },
	{ "STATS mag", 0, C(STATS), E(NONE), 1, NULL },
	{ "STATS mag bpf", 0, C(STATS), E(NONE), 1, NULL },
	{ "STATS  \t ", 0, C(STATS), E(NONE), 0, NULL },
	{ "HELP me", 0, C(HELP), E(ARGS), 0, NULL },
	{ "QUIT", 0, C(QUIT), E(NONE), 0, NULL },
	{ "QUIT now", 0, C(QUIT), E(ARGS), 0, NULL },
	{ "AUTH", 0, C(AUTH), E(ARGS), 0, NULL },
	{ "auth s3cr3t-T0ken", 0, C(AUTH), E(NONE), 1, NULL },
	{ "AUTH a b", 0, C(AUTH), E(ARGS), 1, NULL },
	{ "THREAD", 0, C(THREAD), E(ARGS), 0, NULL },
	{ "THREAD <a@b>", 0, C(THREAD), E(NONE), 1, NULL },
	{ "THREAD <a@b> <c@d>", 0, C(THREAD), E(ARGS), 1, NULL },
	{ "SHOW", 0, C(SHOW), E(ARGS), 0, NULL },
	{ "SHOW a@b c@d", 0, C(SHOW), E(ARGS), 1, NULL },
	{ "RAW", 0, C(RAW), E(ARGS), 0, NULL },
	{ "RAW <a@b>", 0, C(RAW), E(NONE), 1, NULL },
	{ "RAW a b", 0, C(RAW), E(ARGS), 1, NULL },
	{ "SUMMARY", 0, C(SUMMARY), E(ARGS), 0, NULL },
	{ "SUMMARY <a@b>", 0, C(SUMMARY), E(NONE), 1, NULL },
	{ "SUMMARY a b", 0, C(SUMMARY), E(ARGS), 1, NULL },
	{ "FORMAT", 0, C(FORMAT), E(ARGS), 0, NULL },
	{ "FORMAT json", 0, C(FORMAT), E(NONE), 1, NULL },
	{ "FORMAT JSON 1", 0, C(FORMAT), E(NONE), 2, NULL },
	{ "FORMAT text 1 x", 0, C(FORMAT), E(ARGS), 2, NULL },
	{ "SEARCH", 0, C(SEARCH), E(ARGS), 0, NULL },
	{ "SEARCH foo", 0, C(SEARCH), E(ARGS), 1, NULL },
	{ "SEARCH --", 0, C(SEARCH), E(ARGS), 0, "" },
	{ "SEARCH --   \t", 0, C(SEARCH), E(ARGS), 0, "" },
	{ "SEARCH -- foo", 0, C(SEARCH), E(NONE), 0, "foo" },
	{ "SEARCH THREADS THREADS THREADS THREADS THREADS THREADS "
	  "THREADS THREADS THREADS THREADS -- x", 0, C(SEARCH), E(ARGS), 9,
	  NULL },
	{ "COUNT", 0, C(COUNT), E(ARGS), 0, NULL },
	{ "COUNT -- a", 0, C(COUNT), E(NONE), 0, "a" },
	{ "COUNT THREADS QUOTES -- a", 0, C(COUNT), E(NONE), 2, "a" },
	{ "COUNT THREADS QUOTES THREADS -- a", 0, C(COUNT), E(ARGS), 2,
	  NULL },
	/* case, blanks, query text */
	{ "sEaRcH limit 5 -- Best  Practice  \r\n", 0, C(SEARCH), E(NONE),
	  2, "Best  Practice" },
	{ "search\t--\tLIMIT 5 -- x", 0, C(SEARCH), E(NONE), 0,
	  "LIMIT 5 -- x" },
	{ "SEARCH --foo", 0, C(SEARCH), E(ARGS), 1, NULL },
	{ "SEARCH -- s:\"caf\xc3\xa9\" d:2019..", 0, C(SEARCH), E(NONE), 0,
	  "s:\"caf\xc3\xa9\" d:2019.." },
	{ "Quit", 0, C(QUIT), E(NONE), 0, NULL },
	/* option values */
	{ "SEARCH OFFSET 0 LIMIT 1000 SORT newest THREADS QUOTES -- x", 0,
	  C(SEARCH), E(NONE), 8, "x" },
	{ "SEARCH LIMIT 0 -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "SEARCH LIMIT 1001 -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "SEARCH LIMIT -1 -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "SEARCH LIMIT +5 -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "SEARCH LIMIT 5x -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "SEARCH LIMIT 99999999999999999999 -- x", 0, C(SEARCH), E(VALUE),
	  2, NULL },
	{ "SEARCH LIMIT -- x", 0, C(SEARCH), E(VALUE), 1, NULL },
	{ "SEARCH OFFSET 1000001 -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "SEARCH OFFSET 1000000 -- x", 0, C(SEARCH), E(NONE), 2, "x" },
	{ "SEARCH SORT date -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "SEARCH SORT OLDEST -- x", 0, C(SEARCH), E(NONE), 2, "x" },
	{ "SEARCH LIMIT 5 LIMIT 6 -- x", 0, C(SEARCH), E(VALUE), 4, NULL },
	{ "SEARCH QUOTES QUOTES -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "SEARCH OFFSET 0 LIMIT 1000 SORT newest THREADS QUOTES EXACT -- x", 0,
	  C(SEARCH), E(NONE), 9, "x" },
	{ "SEARCH exact -- x", 0, C(SEARCH), E(NONE), 1, "x" },
	{ "SEARCH EXACT EXACT -- x", 0, C(SEARCH), E(VALUE), 2, NULL },
	{ "COUNT EXACT -- x", 0, C(COUNT), E(VALUE), 1, NULL },
	{ "SEARCH FUZZY -- x", 0, C(SEARCH), E(VALUE), 1, NULL },
	{ "COUNT LIMIT 5 -- x", 0, C(COUNT), E(VALUE), 2, NULL },
	{ "FORMAT xml", 0, C(FORMAT), E(VALUE), 1, NULL },
	{ "FORMAT json 2", 0, C(FORMAT), E(VALUE), 2, NULL },
	{ "FORMAT json 0", 0, C(FORMAT), E(VALUE), 2, NULL },
};

static void
test_parse_rows(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(parse_rows); i++) {
		struct larch_proto_request req;
		const char *in = parse_rows[i].in;
		size_t len = parse_rows[i].len ? parse_rows[i].len : strlen(in);
		enum larch_status st;
		GString *out = g_string_new(NULL);
		char *shown = g_strescape(in, NULL);

		g_test_message("parse row %zu: %s", i, shown);
		g_free(shown);
		st = larch_proto_parse(in, len, 0, &req);
		g_assert_cmpint(req.error, ==, parse_rows[i].err);
		g_assert_cmpint(st == LARCH_OK, ==,
				parse_rows[i].err == E(NONE));
		g_assert_cmpint(req.cmd, ==, parse_rows[i].cmd);
		if (parse_rows[i].err == E(NONE) ||
		    parse_rows[i].err == E(ARGS) ||
		    parse_rows[i].err == E(VALUE))
			g_assert_cmpuint(req.argc, ==, parse_rows[i].argc);
		if (parse_rows[i].query != NULL)
			g_assert_cmpstr(req.query, ==, parse_rows[i].query);
		if (st != LARCH_OK) {
			larch_proto_append_error(out, &req);
			g_assert_cmpint(atoi(out->str), ==,
				larch_proto_error_code(req.error));
		}
		larch_proto_request_release(&req);
		g_string_free(out, TRUE);
	}
}

static void
test_parse_values(void)
{
	struct larch_proto_request req;

	g_assert_cmpint(larch_proto_parse("SEARCH -- x", 11, 0, &req), ==,
			LARCH_OK);
	g_assert_cmpuint(req.search.offset, ==, 0);
	g_assert_cmpuint(req.search.limit, ==, LARCH_PROTO_LIMIT_DEFAULT);
	g_assert_cmpint(req.search.sort, ==, LARCH_PROTO_SORT_RELEVANCE);
	g_assert_false(req.search.threads);
	g_assert_false(req.search.quotes);
	larch_proto_request_release(&req);

	g_assert_cmpint(larch_proto_parse(
		"search sort Newest offset 40 threads limit 7 quotes -- a b",
		58, 0, &req), ==, LARCH_OK);
	g_assert_cmpuint(req.search.offset, ==, 40);
	g_assert_cmpuint(req.search.limit, ==, 7);
	g_assert_cmpint(req.search.sort, ==, LARCH_PROTO_SORT_NEWEST);
	g_assert_true(req.search.threads);
	g_assert_true(req.search.quotes);
	g_assert_cmpstr(req.query, ==, "a b");
	g_assert_cmpstr(req.cmd_name, ==, "search");
	larch_proto_request_release(&req);

	g_assert_cmpint(larch_proto_parse("format JSON", 11, 0, &req), ==,
			LARCH_OK);
	g_assert_cmpint(req.format, ==, LARCH_PROTO_FORMAT_JSON);
	g_assert_cmpuint(req.format_version, ==, LARCH_PROTO_SCHEMA);
	larch_proto_request_release(&req);

	g_assert_cmpint(larch_proto_parse("THREAD  <a@b>  ", 15, 0, &req), ==,
			LARCH_OK);
	g_assert_cmpstr(req.argv[0], ==, "<a@b>");
	larch_proto_request_release(&req);

	/* A list name is the rest of the line: it may hold blanks. */
	g_assert_cmpint(larch_proto_parse("stats  Board  Minutes \t\r\n", 25, 0,
			&req), ==, LARCH_OK);
	g_assert_cmpuint(req.argc, ==, 1);
	g_assert_cmpstr(req.argv[0], ==, "Board  Minutes");
	larch_proto_request_release(&req);
	larch_proto_request_release(NULL);
}

static void
test_parse_length(void)
{
	struct larch_proto_request req;
	size_t max = LARCH_PROTO_LINE_MAX;
	char *line = g_malloc(max + 3);

	/* "SEARCH -- xxxx": exactly the cap is fine, one more is not. */
	memset(line, 'x', max + 3);
	memcpy(line, "SEARCH -- ", 10);
	g_assert_cmpint(larch_proto_parse(line, max, 0, &req), ==, LARCH_OK);
	g_assert_cmpuint(strlen(req.query), ==, max - 10);
	larch_proto_request_release(&req);
	memcpy(line + max, "\r\n", 2);
	g_assert_cmpint(larch_proto_parse(line, max + 2, 0, &req), ==,
			LARCH_OK);
	larch_proto_request_release(&req);
	line[max] = 'x';
	g_assert_cmpint(larch_proto_parse(line, max + 1, 0, &req), ==,
			LARCH_ERR_TOO_BIG);
	g_assert_cmpint(req.error, ==, E(TOO_LONG));
	larch_proto_request_release(&req);
	/* Length is checked before content: binary garbage too long. */
	line[5] = '\0';
	g_assert_cmpint(larch_proto_parse(line, max + 1, 0, &req), ==,
			LARCH_ERR_TOO_BIG);
	larch_proto_request_release(&req);
	/* A caller's own cap. */
	g_assert_cmpint(larch_proto_parse("QUIT\r\n", 6, 4, &req), ==,
			LARCH_OK);
	larch_proto_request_release(&req);
	g_assert_cmpint(larch_proto_parse("HELP \r\n", 7, 4, &req), ==,
			LARCH_ERR_TOO_BIG);
	larch_proto_request_release(&req);
	g_assert_cmpint(larch_proto_parse(NULL, 0, 0, &req), ==,
			LARCH_ERR_PARSE);
	larch_proto_request_release(&req);
	g_free(line);
}

static void
test_table(void)
{
	for (size_t i = 0; i < LARCH_PROTO_N_CMDS; i++) {
		const struct larch_proto_command *c = &larch_proto_commands[i];
		char *lower = g_ascii_strdown(c->name, -1);

		g_assert_cmpint(c->cmd, ==, (int)i);
		g_assert_cmpuint(c->min_args, <=, c->max_args);
		g_assert_cmpuint(c->max_args, <=, LARCH_PROTO_ARGS_MAX);
		g_assert_true(larch_proto_command_lookup(lower,
							 strlen(lower)) == c);
		g_assert_true(g_str_has_prefix(c->usage, c->name));
		g_free(lower);
	}
	g_assert_null(larch_proto_command_lookup("SEARC", 5));
	g_assert_null(larch_proto_command_lookup(NULL, 0));
}

static const struct {
	int code;
	const char *text;
	const char *want;
} status_rows[] = {
	{ 200, "larch 1 ready", "200 larch 1 ready\r\n" },
	{ 205, "bye", "205 bye\r\n" },
	{ 500, "", "500 \r\n" },
	{ 501, "a\r\n.\r\nb", "501 a  .  b\r\n" },
	{ 504, "nul\x01tab\t", "504 nul tab \r\n" },
	{ 507, "bad \xff", "507 bad \xef\xbf\xbd\r\n" },
};

static void
test_status(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(status_rows); i++) {
		GString *out = g_string_new(NULL);

		larch_proto_append_status(out, status_rows[i].code,
					  status_rows[i].text);
		g_assert_cmpstr(out->str, ==, status_rows[i].want);
		g_string_free(out, TRUE);
	}
	{
		GString *out = g_string_new(NULL);

		larch_proto_append_statusf(out, 211, "%d %d %d results follow",
					   137, 20, 0);
		g_assert_cmpstr(out->str, ==,
				"211 137 20 0 results follow\r\n");
		g_string_free(out, TRUE);
	}
}

static const struct {
	const char *in;
	const char *want;	/* data lines, then ".\r\n" appended */
} line_rows[] = {
	{ "", "\r\n" },
	{ ".", "..\r\n" },
	{ "..", "...\r\n" },
	{ ".hidden", "..hidden\r\n" },
	{ "a.b", "a.b\r\n" },
	{ " .", " .\r\n" },
	{ "{\"v\":1}", "{\"v\":1}\r\n" },
	{ "x\r\n.\r\ny", "x  .  y\r\n" },
};

static const struct {
	const char *in;
	const char *want;
} text_rows[] = {
	{ "", "" },
	{ ".", "..\r\n" },
	{ "\n", "\r\n" },
	{ "a\nb", "a\r\nb\r\n" },
	{ "a\r\n.\r\n", "a\r\n..\r\n" },
	{ "a\n.\nb\n", "a\r\n..\r\nb\r\n" },
	{ ".a\n..b\n\n.", "..a\r\n...b\r\n\r\n..\r\n" },
	{ "bare\rcr\n", "bare\rcr\r\n" },
	{ "\r\n\r\n", "\r\n\r\n" },
};

/* Undoes the framing the way a client does; returns the data lines. */
static char *
unstuff(const char *block)
{
	GString *out = g_string_new(NULL);
	char **lines = g_strsplit(block, "\r\n", -1);
	bool ended = false;

	for (size_t i = 0; lines[i] != NULL; i++) {
		const char *l = lines[i];

		if (ended) {
			g_assert_cmpstr(l, ==, "");
			continue;
		}
		if (strcmp(l, ".") == 0) {
			ended = true;
			continue;
		}
		if (l[0] == '.') {
			g_assert_cmpint(l[1], ==, '.');
			l++;
		}
		g_string_append(out, l);
		g_string_append_c(out, '\n');
	}
	g_assert_true(ended);
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

static void
test_block(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(line_rows); i++) {
		GString *out = g_string_new(NULL);
		char *want = g_strconcat(line_rows[i].want, ".\r\n", NULL);

		larch_proto_append_line(out, line_rows[i].in, -1);
		larch_proto_append_end(out);
		g_assert_cmpstr(out->str, ==, want);
		g_free(want);
		g_string_free(out, TRUE);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(text_rows); i++) {
		GString *out = g_string_new(NULL);
		char *back;

		larch_proto_append_text(out, text_rows[i].in, -1);
		g_assert_cmpstr(out->str, ==, text_rows[i].want);
		larch_proto_append_end(out);
		back = unstuff(out->str);
		g_free(back);
		g_string_free(out, TRUE);
	}
	{
		/* A round trip through stuffing keeps every line. */
		const char *text = ".\n..\nfoo\n. \n.\n";
		GString *out = g_string_new(NULL);
		char *back;

		larch_proto_append_text(out, text, -1);
		larch_proto_append_end(out);
		back = unstuff(out->str);
		g_assert_cmpstr(back, ==, text);
		g_free(back);
		g_string_free(out, TRUE);
	}
	{
		/* NUL bytes in raw text pass through with the given length. */
		GString *out = g_string_new(NULL);

		larch_proto_append_text(out, "a\0b\n", 4);
		g_assert_cmpuint(out->len, ==, 5);
		g_assert_true(memcmp(out->str, "a\0b\r\n", 5) == 0);
		g_string_free(out, TRUE);
	}
}

/* A refused line must still yield one well-formed 4xx/5xx status line. */
static void
check_reply(const struct larch_proto_request *req, enum larch_status st)
{
	GString *out = g_string_new(NULL);

	if (st == LARCH_OK) {
		const struct larch_proto_command *c =
			&larch_proto_commands[req->cmd];

		g_assert_cmpint(req->error, ==, E(NONE));
		g_assert_cmpuint(req->argc, >=, c->min_args);
		g_assert_cmpuint(req->argc, <=, c->max_args);
		g_assert_true((req->query != NULL) ==
			      !!(c->flags & LARCH_PROTO_TAKES_QUERY));
		g_string_free(out, TRUE);
		return;
	}
	g_assert_cmpint(req->error, !=, E(NONE));
	larch_proto_append_error(out, req);
	g_assert_cmpuint(out->len, >=, 6);
	g_assert_true(out->str[0] == '4' || out->str[0] == '5');
	g_assert_true(g_ascii_isdigit(out->str[1]) &&
		      g_ascii_isdigit(out->str[2]) && out->str[3] == ' ');
	g_assert_true(g_str_has_suffix(out->str, "\r\n"));
	g_assert_null(memchr(out->str, '\n', out->len - 1));
	g_assert_null(memchr(out->str, '\r', out->len - 2));
	g_assert_true(g_utf8_validate(out->str, (gssize)out->len, NULL));
	g_string_free(out, TRUE);
}

static const char *const fuzz_words[] = {
	"SEARCH", "count", "THREAD", "show", "RAW", "SUMMARY", "LISTS",
	"STATS", "FORMAT", "HELP", "QUIT", "CAPABILITIES", "--", "OFFSET",
	"LIMIT", "SORT", "THREADS", "QUOTES", "newest", "json", "text", "1",
	"0", "1000", "-1", "<a@b>", " ", "\t", "\r\n", "\n", ".", "\xc3\xa9",
	"\xff", "\0",
};

static void
test_fuzz(void)
{
	GRand *rand = g_rand_new_with_seed(0x1a7c4);
	guint8 buf[256];
	unsigned int ok = 0;

	for (int iter = 0; iter < 100000; iter++) {
		struct larch_proto_request req;
		size_t len = 0;
		enum larch_status st;

		if (iter % 2 == 0) {
			/* Random bytes. */
			len = (size_t)g_rand_int_range(rand, 0, sizeof(buf));
			for (size_t i = 0; i < len; i++)
				buf[i] = (guint8)g_rand_int_range(rand, 0, 256);
		} else {
			/* Random sentences of protocol words. */
			int words = g_rand_int_range(rand, 1, 10);

			for (int w = 0; w < words; w++) {
				const char *s = fuzz_words[g_rand_int_range(
					rand, 0, G_N_ELEMENTS(fuzz_words))];
				size_t n = s[0] != '\0' ? strlen(s) : 1;

				if (len + n + 1 > sizeof(buf))
					break;
				memcpy(buf + len, s, n);
				len += n;
				if (g_rand_boolean(rand))
					buf[len++] = ' ';
			}
		}
		st = larch_proto_parse((const char *)buf, len,
				       (size_t)g_rand_int_range(rand, 0, 300),
				       &req);
		check_reply(&req, st);
		ok += st == LARCH_OK;
		larch_proto_request_release(&req);
	}
	/* The word mode must reach the option parser, not just refuse. */
	g_test_message("fuzz: %u of 100000 lines accepted", ok);
	g_assert_cmpuint(ok, >, 1000);
	g_rand_free(rand);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/proto/parse-rows", test_parse_rows);
	g_test_add_func("/proto/parse-values", test_parse_values);
	g_test_add_func("/proto/parse-length", test_parse_length);
	g_test_add_func("/proto/table", test_table);
	g_test_add_func("/proto/status", test_status);
	g_test_add_func("/proto/block", test_block);
	g_test_add_func("/proto/fuzz", test_fuzz);
	return g_test_run();
}
