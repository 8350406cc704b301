/*
 * The larchd line protocol: request parsing and reply framing.  See
 * docs/protocol.md for the wire format this implements.
 */
#include <stdarg.h>
#include <string.h>

#include "larch/proto.h"

/* The longest command name or argument quoted back in an error reply. */
#define ECHO_MAX 64

const struct larch_proto_command larch_proto_commands[LARCH_PROTO_N_CMDS] = {
	{ LARCH_PROTO_CMD_CAPABILITIES, "CAPABILITIES", 0, 0, 0,
	  "CAPABILITIES" },
	{ LARCH_PROTO_CMD_SEARCH, "SEARCH", 0, 9, LARCH_PROTO_TAKES_QUERY,
	  "SEARCH [OFFSET n] [LIMIT n] [SORT relevance|newest|oldest] "
	  "[THREADS] [QUOTES] [EXACT] -- query" },
	{ LARCH_PROTO_CMD_COUNT, "COUNT", 0, 2, LARCH_PROTO_TAKES_QUERY,
	  "COUNT [THREADS] [QUOTES] -- query" },
	{ LARCH_PROTO_CMD_THREAD, "THREAD", 1, 1, 0, "THREAD message-id" },
	{ LARCH_PROTO_CMD_SHOW, "SHOW", 1, 1, 0, "SHOW message-id" },
	{ LARCH_PROTO_CMD_RAW, "RAW", 1, 1, 0, "RAW message-id" },
	{ LARCH_PROTO_CMD_SUMMARY, "SUMMARY", 1, 1, 0, "SUMMARY message-id" },
	{ LARCH_PROTO_CMD_LISTS, "LISTS", 0, 0, 0, "LISTS" },
	{ LARCH_PROTO_CMD_STATS, "STATS", 0, 1, LARCH_PROTO_TAKES_REST,
	  "STATS [list]" },
	{ LARCH_PROTO_CMD_FORMAT, "FORMAT", 1, 2, 0,
	  "FORMAT text|json [version]" },
	{ LARCH_PROTO_CMD_HELP, "HELP", 0, 0, 0, "HELP" },
	{ LARCH_PROTO_CMD_QUIT, "QUIT", 0, 0, 0, "QUIT" },
	{ LARCH_PROTO_CMD_AUTH, "AUTH", 1, 1, 0, "AUTH token" },
};

const struct larch_proto_command *
larch_proto_command_lookup(const char *name, size_t len)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(larch_proto_commands); i++) {
		const struct larch_proto_command *c = &larch_proto_commands[i];

		g_assert((size_t)c->cmd == i);
		if (strlen(c->name) == len &&
		    g_ascii_strncasecmp(c->name, name, len) == 0)
			return c;
	}
	return NULL;
}

int
larch_proto_error_code(enum larch_proto_error error)
{
	switch (error) {
	case LARCH_PROTO_ERR_NONE:	return 200;
	case LARCH_PROTO_ERR_EMPTY:	return 500;
	case LARCH_PROTO_ERR_UNKNOWN:	return 500;
	case LARCH_PROTO_ERR_ARGS:	return 501;
	case LARCH_PROTO_ERR_VALUE:	return 504;
	case LARCH_PROTO_ERR_TOO_LONG:	return 506;
	case LARCH_PROTO_ERR_ENCODING:	return 507;
	}
	return 403;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Marks req refused and returns the matching library status. */
static enum larch_status
refuse(struct larch_proto_request *req, enum larch_proto_error error,
       const char *detail, const char *bad_arg)
{
	req->error = error;
	req->detail = detail;
	req->bad_arg = bad_arg;
	switch (error) {
	case LARCH_PROTO_ERR_TOO_LONG:
		return LARCH_ERR_TOO_BIG;
	case LARCH_PROTO_ERR_EMPTY:
	case LARCH_PROTO_ERR_ENCODING:
		return LARCH_ERR_PARSE;
	case LARCH_PROTO_ERR_UNKNOWN:
		return LARCH_ERR_NOT_FOUND;
	case LARCH_PROTO_ERR_ARGS:
	case LARCH_PROTO_ERR_VALUE:
		return LARCH_ERR_INVALID;
	case LARCH_PROTO_ERR_NONE:
		break;
	}
	g_assert_not_reached();
}

/*
 * Cuts the next blank-separated token out of *pos, NUL-terminating it in
 * place.  Returns NULL at the end of the line.
 */
static char *
next_token(char **pos)
{
	char *p = *pos;
	char *start;

	while (is_blank(*p))
		p++;
	if (*p == '\0') {
		*pos = p;
		return NULL;
	}
	start = p;
	while (*p != '\0' && !is_blank(*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pos = p;
	return start;
}

/* A decimal number of digits only, within [min, max]. */
static bool
parse_number(const char *s, unsigned int min, unsigned int max,
	     unsigned int *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return false;
	}
	if (v < min)
		return false;
	*out = (unsigned int)v;
	return true;
}

/* Checks the option tokens of SEARCH and COUNT into req->search. */
static enum larch_status
parse_search_options(struct larch_proto_request *req)
{
	bool seen_offset = false, seen_limit = false, seen_sort = false;
	bool is_count = req->cmd == LARCH_PROTO_CMD_COUNT;

	for (unsigned int i = 0; i < req->argc; i++) {
		const char *opt = req->argv[i];
		const char *val = i + 1 < req->argc ? req->argv[i + 1] : NULL;
		bool *seen = NULL;

		if (g_ascii_strcasecmp(opt, "THREADS") == 0) {
			if (req->search.threads)
				goto twice;
			req->search.threads = true;
			continue;
		}
		if (g_ascii_strcasecmp(opt, "QUOTES") == 0) {
			if (req->search.quotes)
				goto twice;
			req->search.quotes = true;
			continue;
		}
		if (g_ascii_strcasecmp(opt, "EXACT") == 0) {
			if (is_count)	/* COUNT is always exact */
				return refuse(req, LARCH_PROTO_ERR_VALUE,
					      "option not valid for COUNT", opt);
			if (req->search.exact)
				goto twice;
			req->search.exact = true;
			continue;
		}
		if (g_ascii_strcasecmp(opt, "OFFSET") == 0)
			seen = &seen_offset;
		else if (g_ascii_strcasecmp(opt, "LIMIT") == 0)
			seen = &seen_limit;
		else if (g_ascii_strcasecmp(opt, "SORT") == 0)
			seen = &seen_sort;
		else
			return refuse(req, LARCH_PROTO_ERR_VALUE,
				      "unknown option", opt);
		if (is_count)
			return refuse(req, LARCH_PROTO_ERR_VALUE,
				      "option not valid for COUNT", opt);
		if (*seen)
			goto twice;
		*seen = true;
		if (val == NULL)
			return refuse(req, LARCH_PROTO_ERR_VALUE,
				      "option needs a value", opt);
		i++;
		if (seen == &seen_offset) {
			if (!parse_number(val, 0, LARCH_PROTO_OFFSET_MAX,
					  &req->search.offset))
				return refuse(req, LARCH_PROTO_ERR_VALUE,
					      "OFFSET must be 0..1000000",
					      val);
		} else if (seen == &seen_limit) {
			if (!parse_number(val, 1, LARCH_PROTO_LIMIT_MAX,
					  &req->search.limit))
				return refuse(req, LARCH_PROTO_ERR_VALUE,
					      "LIMIT must be 1..1000", val);
		} else if (g_ascii_strcasecmp(val, "relevance") == 0) {
			req->search.sort = LARCH_PROTO_SORT_RELEVANCE;
		} else if (g_ascii_strcasecmp(val, "newest") == 0) {
			req->search.sort = LARCH_PROTO_SORT_NEWEST;
		} else if (g_ascii_strcasecmp(val, "oldest") == 0) {
			req->search.sort = LARCH_PROTO_SORT_OLDEST;
		} else {
			return refuse(req, LARCH_PROTO_ERR_VALUE,
				      "SORT must be relevance, newest or "
				      "oldest", val);
		}
		continue;
twice:
		return refuse(req, LARCH_PROTO_ERR_VALUE,
			      "option given twice", opt);
	}
	return LARCH_OK;
}

/* Per-command checks of argument values, after the counts passed. */
static enum larch_status
check_values(struct larch_proto_request *req)
{
	const char *v;

	switch (req->cmd) {
	case LARCH_PROTO_CMD_SEARCH:
	case LARCH_PROTO_CMD_COUNT:
		return parse_search_options(req);
	case LARCH_PROTO_CMD_FORMAT:
		v = req->argv[0];
		if (g_ascii_strcasecmp(v, "text") == 0)
			req->format = LARCH_PROTO_FORMAT_TEXT;
		else if (g_ascii_strcasecmp(v, "json") == 0)
			req->format = LARCH_PROTO_FORMAT_JSON;
		else
			return refuse(req, LARCH_PROTO_ERR_VALUE,
				      "format must be text or json", v);
		if (req->argc == 2 &&
		    !parse_number(req->argv[1], LARCH_PROTO_SCHEMA,
				  LARCH_PROTO_SCHEMA, &req->format_version))
			return refuse(req, LARCH_PROTO_ERR_VALUE,
				      "unsupported schema version, have 1",
				      req->argv[1]);
		return LARCH_OK;
	default:
		return LARCH_OK;
	}
}

enum larch_status
larch_proto_parse(const char *line, size_t len, size_t max_len,
		  struct larch_proto_request *req)
{
	const struct larch_proto_command *def;
	char *pos, *tok;

	g_assert(req != NULL);
	g_assert(line != NULL || len == 0);
	memset(req, 0, sizeof(*req));
	req->cmd = LARCH_PROTO_CMD_NONE;
	req->search.limit = LARCH_PROTO_LIMIT_DEFAULT;
	req->search.sort = LARCH_PROTO_SORT_RELEVANCE;
	req->format_version = LARCH_PROTO_SCHEMA;
	if (max_len == 0)
		max_len = LARCH_PROTO_LINE_MAX;

	/* Only a CR directly before the final LF is part of the EOL. */
	if (len > 0 && line[len - 1] == '\n') {
		len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
	}
	if (len > max_len)
		return refuse(req, LARCH_PROTO_ERR_TOO_LONG, "line too long",
			      NULL);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return refuse(req, LARCH_PROTO_ERR_ENCODING,
				      "control byte in line", NULL);
	}
	if (!g_utf8_validate_len(line, len, NULL))
		return refuse(req, LARCH_PROTO_ERR_ENCODING,
			      "line is not valid UTF-8", NULL);

	req->buf_ = g_strndup(line != NULL ? line : "", len);
	pos = req->buf_;
	tok = next_token(&pos);
	if (tok == NULL)
		return refuse(req, LARCH_PROTO_ERR_EMPTY, "empty command line",
			      NULL);
	req->cmd_name = tok;
	def = larch_proto_command_lookup(tok, strlen(tok));
	if (def == NULL)
		return refuse(req, LARCH_PROTO_ERR_UNKNOWN, "unknown command",
			      tok);
	req->cmd = def->cmd;

	if (def->flags & LARCH_PROTO_TAKES_REST) {
		char *end;

		while (is_blank(*pos))
			pos++;
		end = pos + strlen(pos);
		while (end > pos && is_blank(end[-1]))
			end--;
		*end = '\0';
		if (*pos != '\0')
			req->argv[req->argc++] = pos;
		pos = end;
	}
	/* Count every token, store what fits; the query is not tokenised. */
	for (;;) {
		char *rest = pos;

		if (def->flags & LARCH_PROTO_TAKES_QUERY) {
			while (is_blank(*rest))
				rest++;
			if (rest[0] == '-' && rest[1] == '-' &&
			    (rest[2] == '\0' || is_blank(rest[2]))) {
				char *end;

				rest += 2;
				while (is_blank(*rest))
					rest++;
				end = rest + strlen(rest);
				while (end > rest && is_blank(end[-1]))
					end--;
				*end = '\0';
				req->query = rest;
				break;
			}
		}
		tok = next_token(&pos);
		if (tok == NULL)
			break;
		if (req->argc < LARCH_PROTO_ARGS_MAX)
			req->argv[req->argc] = tok;
		if (req->argc <= def->max_args)
			req->argc++;
	}
	if (req->argc > def->max_args) {
		req->argc = def->max_args;
		return refuse(req, LARCH_PROTO_ERR_ARGS, "too many arguments",
			      NULL);
	}
	if (req->argc < def->min_args)
		return refuse(req, LARCH_PROTO_ERR_ARGS, "too few arguments",
			      NULL);
	if ((def->flags & LARCH_PROTO_TAKES_QUERY) && req->query == NULL)
		return refuse(req, LARCH_PROTO_ERR_ARGS,
			      "missing '--' before the query", NULL);
	if ((def->flags & LARCH_PROTO_TAKES_QUERY) && req->query[0] == '\0')
		return refuse(req, LARCH_PROTO_ERR_ARGS, "empty query", NULL);
	return check_values(req);
}

void
larch_proto_request_release(struct larch_proto_request *req)
{
	if (req == NULL)
		return;
	g_free(req->buf_);
	memset(req, 0, sizeof(*req));
	req->cmd = LARCH_PROTO_CMD_NONE;
}

void
larch_proto_append_status(GString *out, int code, const char *text)
{
	char *fixed = NULL;
	size_t start;

	g_assert(out != NULL);
	g_assert(code >= 100 && code <= 599);
	if (text == NULL)
		text = "";
	if (!g_utf8_validate(text, -1, NULL))
		text = fixed = g_utf8_make_valid(text, -1);
	g_string_append_printf(out, "%03d ", code);
	start = out->len;
	g_string_append(out, text);
	for (size_t i = start; i < out->len; i++) {
		unsigned char c = (unsigned char)out->str[i];

		if (c < 0x20 || c == 0x7f)
			out->str[i] = ' ';
	}
	g_string_append(out, "\r\n");
	g_free(fixed);
}

void
larch_proto_append_statusf(GString *out, int code, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	larch_proto_append_status(out, code, text);
	g_free(text);
}

/* The length of s cut to at most max bytes on a UTF-8 boundary. */
static int
echo_len(const char *s)
{
	size_t n = strlen(s);

	if (n <= ECHO_MAX)
		return (int)n;
	n = ECHO_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

void
larch_proto_append_error(GString *out, const struct larch_proto_request *req)
{
	int code = larch_proto_error_code(req->error);
	const char *detail = req->detail != NULL ? req->detail : "error";

	g_assert(req->error != LARCH_PROTO_ERR_NONE);
	switch (req->error) {
	case LARCH_PROTO_ERR_ARGS:
		larch_proto_append_statusf(out, code, "%s; usage: %s", detail,
			larch_proto_commands[req->cmd].usage);
		return;
	case LARCH_PROTO_ERR_UNKNOWN:
	case LARCH_PROTO_ERR_VALUE:
		larch_proto_append_statusf(out, code, "%s '%.*s'", detail,
			echo_len(req->bad_arg), req->bad_arg);
		return;
	default:
		larch_proto_append_status(out, code, detail);
		return;
	}
}

void
larch_proto_append_line(GString *out, const char *line, gssize len)
{
	size_t n = len < 0 ? strlen(line) : (size_t)len;
	size_t start;

	if (n > 0 && line[0] == '.')
		g_string_append_c(out, '.');
	start = out->len;
	g_string_append_len(out, line, (gssize)n);
	for (size_t i = start; i < out->len; i++)
		if (out->str[i] == '\r' || out->str[i] == '\n')
			out->str[i] = ' ';
	g_string_append(out, "\r\n");
}

void
larch_proto_append_text(GString *out, const char *text, gssize len)
{
	size_t n = len < 0 ? strlen(text) : (size_t)len;
	const char *p = text, *end = text + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl != NULL ? nl : end;

		if (nl != NULL && stop > p && stop[-1] == '\r')
			stop--;
		if (stop > p && p[0] == '.')
			g_string_append_c(out, '.');
		g_string_append_len(out, p, stop - p);
		g_string_append(out, "\r\n");
		p = nl != NULL ? nl + 1 : end;
	}
}

void
larch_proto_append_end(GString *out)
{
	g_string_append(out, ".\r\n");
}
