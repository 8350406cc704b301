/*
 * One run of the client against larchd: connect, read the greeting, send
 * the request pipelined with QUIT (and FORMAT json 1 before it for
 * --json), render the reply, and say with an exit code what happened.
 * Owned by the client.
 */
#ifndef LARCH_CLIENT_SESSION_H
#define LARCH_CLIENT_SESSION_H

#include <stdbool.h>

#include "larch/proto.h"
#include "output.h"
#include "reply.h"

/* The client's exit codes, documented in --help and docs/larch.1. */
#define LARCH_EXIT_FOUND	0	/* success, something found */
#define LARCH_EXIT_NOTHING	1	/* no results; no such message... */
#define LARCH_EXIT_USAGE	2	/* bad command line, refused request */
#define LARCH_EXIT_CONNECT	3	/* no connection, lost, timeout, 400 */
#define LARCH_EXIT_SERVER	4	/* server error or unexpected reply */

/* An embedded value; the caller fills the public fields. */
struct larch_session {
	const char *name;	/* the command as the user named it */
	enum larch_proto_cmd cmd;
	const char *addr;	/* see connect.h */
	int timeout_ms;		/* connect, and each reply line */
	bool json;		/* FORMAT json 1; blocks pass through */
	bool threads;		/* SEARCH rows are threads */
	const char *query;	/* SEARCH, COUNT: the query sent, for 505 */
	const char *const *tokens; /* sent with AUTH first; NULL-ended */
	struct larch_output *out;
	int fd_;		/* private */
	struct larch_reply *reply_;
};

/*
 * Sends request (one line, no line end) as s->cmd and renders the reply
 * on s->out; errors go to stderr as "larch: ...".  Returns an exit code.
 */
int larch_session_run(struct larch_session *s, const char *request);

#endif
