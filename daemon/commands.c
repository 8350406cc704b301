/*
 * The command table and the commands answered on the event loop
 * (CAPABILITIES, FORMAT, HELP, QUIT; AUTH is in auth.c): they touch
 * neither the index nor any file, so they cost less than handing them to
 * a worker.
 *
 * Owner: the daemon engineer.
 */
#include "commands.h"
#include "config.h"
#include "conn.h"
#include "server.h"

static void
answer_capabilities(struct conn *conn, const struct larch_proto_request *req,
    GString *out)
{
	GString *line = g_string_new("COMMANDS");

	for (size_t i = 0; i < LARCH_PROTO_N_CMDS; i++)
		g_string_append_printf(line, " %s",
		    larch_proto_commands[i].name);
	larch_proto_append_status(out, 101, "capabilities follow");
	larch_proto_append_line(out, "VERSION 1", -1);
	larch_proto_append_line(out, "SCHEMA 1", -1);
	larch_proto_append_line(out, line->str, (gssize)line->len);
	larch_proto_append_line(out, "FORMAT text json", -1);
	larch_proto_append_line(out,
	    "SEARCH OFFSET LIMIT SORT THREADS QUOTES EXACT", -1);
	g_string_printf(line, "LINE-MAX %zu", conn->srv->config->line_max);
	larch_proto_append_line(out, line->str, (gssize)line->len);
	larch_proto_append_end(out);
	g_string_free(line, TRUE);
}

static void
answer_format(struct conn *conn, const struct larch_proto_request *req,
    GString *out)
{
	conn->format = req->format;
	larch_proto_append_statusf(out, 206, "%s %u",
	    req->format == LARCH_PROTO_FORMAT_JSON ? "json" : "text",
	    req->format_version);
}

static void
answer_help(struct conn *conn, const struct larch_proto_request *req,
    GString *out)
{
	larch_proto_append_status(out, 100, "help follows");
	for (size_t i = 0; i < LARCH_PROTO_N_CMDS; i++)
		larch_proto_append_line(out, larch_proto_commands[i].usage,
		    -1);
	larch_proto_append_end(out);
}

static void
answer_quit(struct conn *conn, const struct larch_proto_request *req,
    GString *out)
{
	larch_proto_append_status(out, 205, "bye");
	conn->quit = true;
}

/* Indexed by enum larch_proto_cmd, like larch_proto_commands[]. */
static const struct command commands[LARCH_PROTO_N_CMDS] = {
	{ LARCH_PROTO_CMD_CAPABILITIES, answer_capabilities, NULL },
	{ LARCH_PROTO_CMD_SEARCH, NULL, query_search },
	{ LARCH_PROTO_CMD_COUNT, NULL, query_count },
	{ LARCH_PROTO_CMD_THREAD, NULL, query_thread },
	{ LARCH_PROTO_CMD_SHOW, NULL, query_show },
	{ LARCH_PROTO_CMD_RAW, NULL, query_raw },
	{ LARCH_PROTO_CMD_SUMMARY, NULL, query_summary },
	{ LARCH_PROTO_CMD_LISTS, NULL, query_lists },
	{ LARCH_PROTO_CMD_STATS, NULL, query_stats },
	{ LARCH_PROTO_CMD_FORMAT, answer_format, NULL },
	{ LARCH_PROTO_CMD_HELP, answer_help, NULL },
	{ LARCH_PROTO_CMD_QUIT, answer_quit, NULL },
	{ LARCH_PROTO_CMD_AUTH, answer_auth, NULL },
};

const struct command *
command_for(enum larch_proto_cmd cmd)
{
	const struct command *c;

	g_assert(cmd >= 0 && cmd < LARCH_PROTO_N_CMDS);
	c = &commands[cmd];
	g_assert(c->cmd == cmd);
	g_assert((c->answer == NULL) != (c->run == NULL));
	return c;
}
