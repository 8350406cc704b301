/*
 * The command table: what larchd does for each command of the protocol.
 * lib/proto.c owns the names and argument counts (checked once, before
 * dispatch); this table adds the handler.  A command either answers
 * inline on the event loop (cheap ones: no index, no files) or runs on a
 * worker thread.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_COMMANDS_H
#define LARCHD_COMMANDS_H

#include <glib.h>

#include "larch/proto.h"
#include "larch/status.h"
#include "larch/store.h"

struct conn;
struct job;

struct command {
	enum larch_proto_cmd cmd;
	/*
	 * Exactly one of the two is set.  answer runs on the loop and
	 * appends the reply to out.  run runs on a worker and appends the
	 * whole reply to job->out; on failure it returns the status (and
	 * may set job->error) and the worker writes the error reply.
	 */
	void (*answer)(struct conn *conn, const struct larch_proto_request *req,
	    GString *out);
	enum larch_status (*run)(struct job *job, struct larch_store *store);
};

/* The table row of cmd (a parsed request's command); static storage. */
const struct command *command_for(enum larch_proto_cmd cmd);

/* AUTH, in auth.c. */
void answer_auth(struct conn *conn, const struct larch_proto_request *req,
    GString *out);

/* Worker handlers, in queries.c and message.c. */
enum larch_status query_search(struct job *job, struct larch_store *store);
enum larch_status query_count(struct job *job, struct larch_store *store);
enum larch_status query_thread(struct job *job, struct larch_store *store);
enum larch_status query_lists(struct job *job, struct larch_store *store);
enum larch_status query_stats(struct job *job, struct larch_store *store);
enum larch_status query_show(struct job *job, struct larch_store *store);
enum larch_status query_raw(struct job *job, struct larch_store *store);
enum larch_status query_summary(struct job *job, struct larch_store *store);

#endif
