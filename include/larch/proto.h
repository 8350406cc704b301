/*
 * The line protocol of larchd, as a pure module: parse one request line,
 * format status lines and dot-stuffed data blocks.  No sockets, no event
 * loop; the daemon, the client and the fuzzers share it.  The wire format
 * is specified in docs/protocol.md.
 */
#ifndef LARCH_PROTO_H
#define LARCH_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LARCH_PROTO_VERSION	1	/* protocol version, in greeting */
#define LARCH_PROTO_SCHEMA	1	/* JSON row schema, the "v" field */
#define LARCH_PROTO_LINE_MAX	8192	/* default cap, bytes, no EOL */
#define LARCH_PROTO_ARGS_MAX	9	/* no command takes more */
#define LARCH_PROTO_LIMIT_DEFAULT	20
#define LARCH_PROTO_LIMIT_MAX	1000
#define LARCH_PROTO_OFFSET_MAX	1000000

/* The commands; the values index larch_proto_commands[]. */
enum larch_proto_cmd {
	LARCH_PROTO_CMD_CAPABILITIES,
	LARCH_PROTO_CMD_SEARCH,
	LARCH_PROTO_CMD_COUNT,
	LARCH_PROTO_CMD_THREAD,
	LARCH_PROTO_CMD_SHOW,
	LARCH_PROTO_CMD_RAW,
	LARCH_PROTO_CMD_SUMMARY,
	LARCH_PROTO_CMD_LISTS,
	LARCH_PROTO_CMD_STATS,
	LARCH_PROTO_CMD_FORMAT,
	LARCH_PROTO_CMD_HELP,
	LARCH_PROTO_CMD_QUIT,
	LARCH_PROTO_CMD_AUTH,		/* unlocks private lists (larchd) */
	LARCH_PROTO_N_CMDS,		/* how many; not a command */
	LARCH_PROTO_CMD_NONE = -1,	/* the line named no known command */
};

/* The command takes "[options] -- query"; the options are its arguments. */
#define LARCH_PROTO_TAKES_QUERY	0x1u
/* The command's one argument is the rest of the line, blanks and all (a
 * list name such as "Board Minutes"), trimmed. */
#define LARCH_PROTO_TAKES_REST	0x2u

/*
 * One row of the command table.  Argument counts are checked by
 * larch_proto_parse(), once, before the daemon dispatches on cmd.
 */
struct larch_proto_command {
	enum larch_proto_cmd cmd;
	const char *name;	/* upper case; matched case-insensitively */
	unsigned int min_args;
	unsigned int max_args;
	unsigned int flags;	/* LARCH_PROTO_TAKES_QUERY or _REST */
	const char *usage;	/* one line, for HELP and 501 replies */
};

/* Indexed by enum larch_proto_cmd; static storage. */
extern const struct larch_proto_command
	larch_proto_commands[LARCH_PROTO_N_CMDS];

/* Why a line was refused; each maps to one reply code. */
enum larch_proto_error {
	LARCH_PROTO_ERR_NONE = 0,
	LARCH_PROTO_ERR_EMPTY,		/* nothing but blanks: 500 */
	LARCH_PROTO_ERR_TOO_LONG,	/* over the line cap: 506 */
	LARCH_PROTO_ERR_ENCODING,	/* bad UTF-8, control byte: 507 */
	LARCH_PROTO_ERR_UNKNOWN,	/* no such command: 500 */
	LARCH_PROTO_ERR_ARGS,		/* argument count, no "--": 501 */
	LARCH_PROTO_ERR_VALUE,		/* bad option or value: 504 */
};

enum larch_proto_sort {
	LARCH_PROTO_SORT_RELEVANCE,
	LARCH_PROTO_SORT_NEWEST,
	LARCH_PROTO_SORT_OLDEST,
};

enum larch_proto_format {
	LARCH_PROTO_FORMAT_TEXT,
	LARCH_PROTO_FORMAT_JSON,
};

/* SEARCH and COUNT options, with their defaults when absent. */
struct larch_proto_search {
	unsigned int offset;		/* 0 */
	unsigned int limit;		/* LARCH_PROTO_LIMIT_DEFAULT */
	enum larch_proto_sort sort;	/* relevance */
	bool threads;			/* one row per thread */
	bool quotes;			/* also match quoted text */
	bool exact;			/* SEARCH: an exact total */
};

/*
 * A parsed request line, an embedded value: larch_proto_parse() fills it
 * and larch_proto_request_release() frees what it holds.  argv, cmd_name
 * and query point into the request's own copy of the line and stay valid
 * until the release.
 */
struct larch_proto_request {
	enum larch_proto_cmd cmd;	/* LARCH_PROTO_CMD_NONE when unknown */
	enum larch_proto_error error;	/* ..._ERR_NONE when parsed */
	const char *cmd_name;		/* as sent, or NULL */
	unsigned int argc;		/* query commands: options */
	const char *argv[LARCH_PROTO_ARGS_MAX];
	const char *query;		/* text after "--", or NULL */
	struct larch_proto_search search;	/* SEARCH and COUNT */
	enum larch_proto_format format;		/* FORMAT */
	unsigned int format_version;		/* FORMAT, default SCHEMA */
	const char *bad_arg;		/* refused token, or NULL */
	const char *detail;		/* why; static, or NULL */
	char *buf_;			/* private: the copy of the line */
};

/*
 * Parses one request line of len bytes.  A trailing LF or CRLF is
 * stripped; any other control byte (except TAB), NUL or invalid UTF-8 is
 * refused.  max_len caps the line without its EOL, 0 meaning
 * LARCH_PROTO_LINE_MAX.  Always initialises req, which the caller releases
 * with larch_proto_request_release() whatever is returned.  Returns
 * LARCH_OK, or on a refused line LARCH_ERR_TOO_BIG (too long),
 * LARCH_ERR_PARSE (empty, bad bytes), LARCH_ERR_NOT_FOUND (unknown
 * command) or LARCH_ERR_INVALID (arguments), with req->error saying which.
 */
enum larch_status larch_proto_parse(const char *line, size_t len,
				    size_t max_len,
				    struct larch_proto_request *req);

/* Frees what req holds and resets it; accepts NULL. */
void larch_proto_request_release(struct larch_proto_request *req);

/*
 * Looks a command name up, case-insensitively.  Returns its table row
 * (static storage), or NULL.
 */
const struct larch_proto_command *larch_proto_command_lookup(const char *name,
							     size_t len);

/* The reply code for a parse error, e.g. 501 for LARCH_PROTO_ERR_ARGS. */
int larch_proto_error_code(enum larch_proto_error error);

/*
 * Appends the status line "NNN text\r\n" to out.  code must be 100..599.
 * CR, LF and other control bytes in text become spaces, so a status line
 * is always exactly one line.
 */
void larch_proto_append_status(GString *out, int code, const char *text);
void larch_proto_append_statusf(GString *out, int code, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

/* Appends the status line that answers a request refused by the parser. */
void larch_proto_append_error(GString *out,
			      const struct larch_proto_request *req);

/*
 * Appends one data line of a block (len may be -1 for a C string): a
 * leading '.' is doubled and CRLF added.  CR and LF inside the line become
 * spaces, so one record stays one line.
 */
void larch_proto_append_line(GString *out, const char *line, gssize len);

/*
 * Appends multi-line text (a message body, the raw bytes of a message) as
 * data lines: split at LF, a CR before the LF dropped, each line
 * dot-stuffed and ended with CRLF.  A last line without LF is ended too;
 * empty text appends nothing.  Other bytes pass through unchanged.
 */
void larch_proto_append_text(GString *out, const char *text, gssize len);

/* Appends the block terminator ".\r\n". */
void larch_proto_append_end(GString *out);

#ifdef __cplusplus
}
#endif
#endif
