/*
 * larch: the command-line client of larchd.  Owned by the client.
 *
 *   larch [--connect ADDR] [--json] [--timeout SEC] COMMAND ARGS...
 *
 * One connection per run: read the greeting, send the request (after
 * FORMAT json 1 with --json) and QUIT in one write, render the reply,
 * exit with a code that says what happened (see the description below
 * and docs/larch.1).  The wire format is docs/protocol.md; request lines
 * are checked with the same parser the daemon uses before they are sent,
 * so a request the daemon would refuse is a usage error here already.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "connect.h"
#include "larch/proto.h"
#include "output.h"
#include "session.h"

#define TIMEOUT_DEFAULT_MS	30000

static char *opt_connect;
static gboolean opt_json;
static char *opt_timeout;
static char *opt_limit;
static char *opt_offset;
static char *opt_sort;
static gboolean opt_threads;
static gboolean opt_quotes;
static gboolean opt_exact;
static gboolean opt_version;
static char **opt_args;

static const GOptionEntry entries[] = {
	{ "connect", 'c', 0, G_OPTION_ARG_STRING, &opt_connect,
	  "larchd's address: unix:PATH, HOST:PORT or [IPV6]:PORT "
	  "(default: $LARCH_CONNECT, else " LARCH_CONNECT_DEFAULT ")",
	  "ADDR" },
	{ "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json,
	  "print the server's JSON Lines as they come", NULL },
	{ "timeout", 't', 0, G_OPTION_ARG_STRING, &opt_timeout,
	  "give up when connecting or a reply line takes longer "
	  "(default 30)", "SEC" },
	{ "limit", 'n', 0, G_OPTION_ARG_STRING, &opt_limit,
	  "search: print at most N results (default 20, at most 1000)",
	  "N" },
	{ "offset", 0, 0, G_OPTION_ARG_STRING, &opt_offset,
	  "search: skip the first N results", "N" },
	{ "sort", 's', 0, G_OPTION_ARG_STRING, &opt_sort,
	  "search: relevance (default), newest or oldest",
	  "ORDER" },
	{ "threads", 0, 0, G_OPTION_ARG_NONE, &opt_threads,
	  "search, count: one result per thread", NULL },
	{ "quotes", 0, 0, G_OPTION_ARG_NONE, &opt_quotes,
	  "search, count: also match quoted text", NULL },
	{ "exact", 0, 0, G_OPTION_ARG_NONE, &opt_exact,
	  "search: count every match for an exact total", NULL },
	{ "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
	  "print the version and exit", NULL },
	{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_args,
	  NULL, "COMMAND [ARG...]" },
	G_OPTION_ENTRY_NULL
};

static const char summary[] =
	"Query larchd, the larch mailing-list archive search daemon.\n"
	"\n"
	"Commands:\n"
	"  search QUERY...   matching messages, best first (first 20)\n"
	"  count QUERY...    how many messages (threads with --threads) match\n"
	"  thread MID        the thread holding a message, as a tree\n"
	"  show MID          a message: headers, new text, quoted parts\n"
	"  raw MID           a message's original bytes\n"
	"  summary MID       the summary of the thread holding a message\n"
	"  lists             the lists in the index\n"
	"  stats [LIST]      statistics of the index or one list";

static const char description[] =
	"The words of QUERY are joined with spaces; quote a phrase twice,\n"
	"for the shell and for the query: larch search '\"best practice\"'.\n"
	"Put -- before a query that starts with '-'.  Options may come\n"
	"before or after the command.  MID is a Message-ID (with or without\n"
	"<>), a pipermail article URL, or its YYYY-Month/NNNNNN.html tail;\n"
	"thread and summary also take a thread id (t1693ba29b059).\n"
	"\n"
	"Private lists: set LARCH_TOKEN to your token (several separated by\n"
	"blanks); it is sent with AUTH before the request.\n"
	"\n"
	"On a terminal, results are aligned and cut to its width, and each\n"
	"row is followed by its message-id, whole, on a line of its own (in\n"
	"quotes where the shell needs them), to paste after 'larch show'.\n"
	"Otherwise each row is one line of TAB-separated fields: search\n"
	"prints date, author, subject, summary, message-id, thread id;\n"
	"thread prints the depth first.\n"
	"\n"
	"Exit status:\n"
	"  0  success, something found\n"
	"  1  nothing found: no results, or no such message, thread or list\n"
	"  2  usage error, or the server refused the request (a bad\n"
	"     argument or query, or a request over its line limit)\n"
	"  3  cannot connect, connection lost, timed out, or service\n"
	"     unavailable\n"
	"  4  server error, or a reply the client does not understand\n"
	"\n"
	"See larch(1).";

/* The client's commands and their argument counts. */
struct command {
	const char *name;
	enum larch_proto_cmd cmd;
	unsigned int min_args, max_args;
	bool takes_query;	/* the arguments are query words */
};

static const struct command commands[] = {
	{ "search", LARCH_PROTO_CMD_SEARCH, 1, G_MAXUINT, true },
	{ "count", LARCH_PROTO_CMD_COUNT, 1, G_MAXUINT, true },
	{ "thread", LARCH_PROTO_CMD_THREAD, 1, 1, false },
	{ "show", LARCH_PROTO_CMD_SHOW, 1, 1, false },
	{ "raw", LARCH_PROTO_CMD_RAW, 1, 1, false },
	{ "summary", LARCH_PROTO_CMD_SUMMARY, 1, 1, false },
	{ "lists", LARCH_PROTO_CMD_LISTS, 0, 0, false },
	{ "stats", LARCH_PROTO_CMD_STATS, 0, 1, false },
};

static G_NORETURN void
usage_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static G_NORETURN void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("larch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'larch --help'.\n", stderr);
	exit(LARCH_EXIT_USAGE);
}

/* An argument as UTF-8: as given, else converted from the locale's
 * charset.  Caller g_free()s. */
static char *
utf8_arg(const char *arg)
{
	char *s;

	if (g_utf8_validate(arg, -1, NULL))
		return g_strdup(arg);
	s = g_locale_to_utf8(arg, -1, NULL, NULL, NULL);
	if (s == NULL)
		usage_error("argument is not valid text: '%s'", arg);
	return s;
}

/* A message-id: one word, as the protocol takes it; or a list name,
 * which STATS takes as the rest of its line (LARCH_PROTO_TAKES_REST), so
 * blanks inside are kept. */
static char *
word_arg(const struct command *cmd, const char *arg)
{
	char *s = utf8_arg(arg);
	bool rest = larch_proto_commands[cmd->cmd].flags &
	    LARCH_PROTO_TAKES_REST;

	if (rest)
		g_strstrip(s);
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f ||
		    (!rest && *p == ' '))
			usage_error(rest ? "%s: '%s' must not hold control "
			    "characters" : "%s: '%s' must be one word, without "
			    "blanks or control characters", cmd->name, s);
	if (*s == '\0')
		usage_error("%s: empty argument", cmd->name);
	return s;
}

/*
 * The query: the words joined with spaces.  Line breaks and other
 * control characters (a pasted query) become spaces, which the query
 * language treats alike, rather than cutting the request line.
 */
static char *
join_query(char **words)
{
	GString *q = g_string_new(NULL);

	for (char **w = words; *w != NULL; w++) {
		char *s = utf8_arg(*w);

		if (q->len > 0)
			g_string_append_c(q, ' ');
		for (char *p = s; *p != '\0'; p++)
			g_string_append_c(q, (unsigned char)*p < ' ' ||
			    *p == 0x7f ? ' ' : *p);
		g_free(s);
	}
	/* The server trims the query too: keep 505's offsets aligned. */
	g_strstrip(q->str);
	g_string_set_size(q, strlen(q->str));
	return g_string_free(q, FALSE);
}

/* A search option's value: one token of letters and digits. */
static void
append_option(GString *req, const char *name, const char *flag,
    const char *value)
{
	if (value == NULL)
		return;
	if (*value == '\0')
		usage_error("--%s needs a value", flag);
	for (const char *p = value; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p))
			usage_error("bad value for --%s: '%s'", flag, value);
	g_string_append_printf(req, " %s %s", name, value);
}

/* Builds the request line (without its CRLF) and checks it. */
static GString *
build_request(const struct command *cmd, char **args, unsigned int nargs,
    char **query)
{
	GString *req = g_string_new(larch_proto_commands[cmd->cmd].name);
	struct larch_proto_request parsed;
	GString *why;

	if (cmd->cmd != LARCH_PROTO_CMD_SEARCH &&
	    (opt_limit || opt_offset || opt_sort || opt_exact))
		usage_error("--limit, --offset, --sort and --exact are for "
		    "search");
	if (!cmd->takes_query && (opt_threads || opt_quotes))
		usage_error("--threads and --quotes are for search and "
		    "count");
	if (cmd->takes_query) {
		append_option(req, "OFFSET", "offset", opt_offset);
		if (cmd->cmd == LARCH_PROTO_CMD_SEARCH)
			append_option(req, "LIMIT", "limit", opt_limit ?
			    opt_limit : G_STRINGIFY(LARCH_PROTO_LIMIT_DEFAULT));
		append_option(req, "SORT", "sort", opt_sort);
		if (opt_threads)
			g_string_append(req, " THREADS");
		if (opt_quotes)
			g_string_append(req, " QUOTES");
		if (opt_exact)
			g_string_append(req, " EXACT");
		*query = join_query(args);
		if (**query == '\0')
			usage_error("%s: empty query", cmd->name);
		g_string_append_printf(req, " -- %s", *query);
	} else {
		for (unsigned int i = 0; i < nargs; i++) {
			char *w = word_arg(cmd, args[i]);

			g_string_append_printf(req, " %s", w);
			g_free(w);
		}
	}

	/*
	 * The daemon's own parser: what it would refuse is refused here.
	 * Not the length: the server's cap is configurable (its LINE-MAX),
	 * so a long query is left to the server, whose 506 exits 2 too.
	 */
	if (larch_proto_parse(req->str, req->len, MAX(req->len, 1),
	    &parsed) != LARCH_OK) {
		why = g_string_new(NULL);
		larch_proto_append_error(why, &parsed);
		/* "NNN text\r\n": keep the text. */
		g_string_truncate(why, why->len - 2);
		usage_error("%s: %s", cmd->name, why->str + 4);
	}
	larch_proto_request_release(&parsed);
	return req;
}

static int
parse_timeout(void)
{
	char *end;
	double sec;

	if (opt_timeout == NULL)
		return TIMEOUT_DEFAULT_MS;
	sec = g_ascii_strtod(opt_timeout, &end);
	if (end == opt_timeout || *end != '\0' || !isfinite(sec) ||
	    sec <= 0 || sec > 86400)
		usage_error("--timeout must be a number of seconds, "
		    "0 < SEC <= 86400: '%s'", opt_timeout);
	return MAX((int)(sec * 1000), 1);
}

/*
 * The tokens of $LARCH_TOKEN, for AUTH: an environment variable, not an
 * option, so that a token does not show in ps or in the shell's history.
 * Each is checked with the daemon's parser, as the request is.
 */
static char **
read_tokens(void)
{
	const char *env = g_getenv("LARCH_TOKEN");
	GPtrArray *tokens = g_ptr_array_new();

	for (const char *p = env != NULL ? env : ""; *p != '\0';) {
		struct larch_proto_request parsed;
		char *line;
		size_t n;

		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (n == 0)
			break;
		line = g_strdup_printf("AUTH %.*s", (int)n, p);
		if (larch_proto_parse(line, strlen(line), strlen(line),
		    &parsed) != LARCH_OK)
			usage_error("LARCH_TOKEN holds a token with a control "
			    "character or invalid UTF-8");
		larch_proto_request_release(&parsed);
		g_ptr_array_add(tokens, g_strndup(p, n));
		g_free(line);
		p += n;
	}
	g_ptr_array_add(tokens, NULL);
	return (char **)g_ptr_array_free(tokens, FALSE);
}

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/*
 * Standard input and error kept open (on /dev/null when closed), so that
 * the daemon's socket cannot take their numbers and get the output or
 * messages written into it; a closed standard output is an output that
 * cannot be written: false.
 */
static bool
std_fds_ready(void)
{
	static const int fds[] = { STDIN_FILENO, STDERR_FILENO };

	for (size_t i = 0; i < G_N_ELEMENTS(fds); i++) {
		int fd;

		if (fcntl(fds[i], F_GETFD) != -1 || errno != EBADF)
			continue;
		fd = open("/dev/null", fds[i] == STDIN_FILENO ? O_RDONLY :
		    O_WRONLY);
		if (fd >= 0 && fd != fds[i]) {
			dup2(fd, fds[i]);
			close(fd);
		}
	}
	return fcntl(STDOUT_FILENO, F_GETFD) != -1;
}

int
main(int argc, char **argv)
{
	struct larch_session s = { 0 };
	struct larch_output out;
	const struct command *cmd;
	GOptionContext *ctx;
	GError *gerr = NULL;
	GString *request;
	char *query = NULL;
	char **tokens;
	unsigned int nargs;
	int code;

	setlocale(LC_ALL, "");
	/* A reader that goes away (larch ... | head -1) makes a write
	 * fail, exit 4 as documented, instead of killing larch. */
	signal(SIGPIPE, SIG_IGN);
	if (!std_fds_ready()) {
		fprintf(stderr, "larch: cannot write the output: standard "
		    "output is closed\n");
		return LARCH_EXIT_SERVER;
	}
	ctx = g_option_context_new(NULL);
	g_option_context_set_summary(ctx, summary);
	g_option_context_set_description(ctx, description);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
		/* "-samba" reads as -s with "amba" glued on, its value
		 * missing: a query word too. */
		bool dash_word = g_error_matches(gerr, G_OPTION_ERROR,
		    G_OPTION_ERROR_UNKNOWN_OPTION) ||
		    g_str_has_prefix(gerr->message, "Missing argument for -");
		char *msg = g_strdup_printf("%s%s", gerr->message,
		    dash_word ? " (an argument "
		    "starting with '-', a query word or a message id, goes "
		    "after '--': larch search -- -draft policy)" : "");

		/* Freed first so a leak checker sees a clean exit. */
		g_error_free(gerr);
		g_option_context_free(ctx);
		usage_error("%s", msg);
	}
	g_option_context_free(ctx);
	if (opt_version) {
		printf("larch %s (protocol %d, JSON schema %d)\n",
		    LARCH_VERSION, LARCH_PROTO_VERSION, LARCH_PROTO_SCHEMA);
		return LARCH_EXIT_FOUND;
	}
	if (opt_args == NULL || opt_args[0] == NULL)
		usage_error("missing command");
	cmd = find_command(opt_args[0]);
	if (cmd == NULL)
		usage_error("unknown command '%s'", opt_args[0]);
	nargs = g_strv_length(opt_args) - 1;
	if (nargs < cmd->min_args)
		usage_error("%s: missing argument", cmd->name);
	if (nargs > cmd->max_args)
		usage_error("%s: too many arguments", cmd->name);
	request = build_request(cmd, opt_args + 1, nargs, &query);
	tokens = read_tokens();

	s.tokens = (const char *const *)tokens;
	s.name = cmd->name;
	s.cmd = cmd->cmd;
	s.timeout_ms = parse_timeout();
	s.query = query;
	s.threads = opt_threads;
	s.addr = opt_connect;
	if (s.addr == NULL || *s.addr == '\0')
		s.addr = g_getenv("LARCH_CONNECT");
	if (s.addr == NULL || *s.addr == '\0')
		s.addr = LARCH_CONNECT_DEFAULT;
	/* FORMAT does not apply to RAW, whose bytes are the same either way. */
	s.json = opt_json && cmd->cmd != LARCH_PROTO_CMD_RAW;
	larch_output_init(&out, stdout, (!opt_json ||
	    cmd->cmd == LARCH_PROTO_CMD_RAW) && isatty(STDOUT_FILENO),
	    larch_output_terminal_width(STDOUT_FILENO));
	s.out = &out;

	code = larch_session_run(&s, request->str);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* A reader that stopped reading knows why. */
		if (errno != EPIPE)
			perror("larch: cannot write the output");
		if (code <= LARCH_EXIT_NOTHING)
			code = LARCH_EXIT_SERVER;
	}
	larch_output_release(&out);
	g_string_free(request, TRUE);
	g_strfreev(tokens);
	g_free(query);
	g_strfreev(opt_args);
	g_free(opt_connect);
	g_free(opt_timeout);
	g_free(opt_limit);
	g_free(opt_offset);
	g_free(opt_sort);
	return code;
}
