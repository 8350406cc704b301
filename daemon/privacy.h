/*
 * Keeping private lists private in what the workers send.  The store
 * leaves hidden messages out of rows, counts and threads itself (the
 * query carries the hidden lists); these helpers cover the mids that
 * visible messages name: the parent a reply answers, the message a quote
 * comes from.  A hidden mid is blanked, and thread depths are counted
 * again over the visible messages, so that neither a mid nor a gap in the
 * depths tells that a hidden message is there.
 *
 * All run on a worker with its store; job->hidden NULL makes them no-ops.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_PRIVACY_H
#define LARCHD_PRIVACY_H

#include <stdbool.h>
#include <glib.h>

#include "larch/search.h"
#include "larch/store.h"

struct job;

/* Whether mid names a message in a list this job's client may not see
 * (a missing message is not hidden: there is nothing to hide). */
bool privacy_is_hidden_mid(const struct job *job, struct larch_store *store,
    const char *mid);

/* THREAD rows (in thread order): hidden parents become "", depths are
 * counted again. */
void privacy_fix_rows(const struct job *job, struct larch_store *store,
    struct larch_search_result *res);

/* Sorts a thread's visible messages (struct larch_msg *) into thread
 * order, larch_thread_sort(), with hidden parents made NULL first and the
 * depths counted again after. */
void privacy_fix_msgs(const struct job *job, struct larch_store *store,
    GPtrArray *msgs);

#endif
