/*
 * What message a request names: THREAD, SHOW, RAW and SUMMARY take a
 * Message-ID or the address of a pipermail article page (a URL, a path or
 * the "2016-May/003251.html" tail), which is how people cite old
 * decisions.  Runs in a worker (it reads the index).
 */
#ifndef LARCHD_RESOLVE_H
#define LARCHD_RESOLVE_H

#include "larch/search.h"
#include "larch/status.h"
#include "larch/store.h"
#include "workers.h"

/*
 * The normalised mid the request's first argument names; a new string
 * the caller g_free()s.  NULL when it names none, with *status set and
 * job->error saying why: LARCH_ERR_NOT_FOUND (no such message or page;
 * 430), LARCH_ERR_INVALID (a page address that cannot be one; 504).
 * Visibility is the caller's business: the mid may be a hidden message.
 */
char *resolve_mid(struct job *job, struct larch_store *store,
    enum larch_status *status);

/*
 * The rows of the thread holding the message the request names, or of
 * the thread it names by its id when no message has that id, in thread
 * order, hidden lists' messages left out (THREAD and SUMMARY).
 * On LARCH_ERR_NOT_FOUND job->error says which message was not found.
 * *res is the caller's to larch_search_result_free() on LARCH_OK.
 */
enum larch_status resolve_thread_rows(struct job *job,
    struct larch_store *store, struct larch_search_result **res);

#endif
