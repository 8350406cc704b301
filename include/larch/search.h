/*
 * Searching the index: the query layer larchd serves from.  The query text
 * is checked by lib/query.c (a pure module: offsets and reasons for bad
 * queries), then parsed and run against Xapian by lib/store_search.cc, part
 * of the store shim.  Readers open the store with LARCH_STORE_READ; one
 * struct larch_store per thread.
 *
 * Query language (docs/query.md has the whole of it): free words (English
 * stems), "phrases", AND OR NOT -word +word ( ), NEAR, trailing wildcards
 * (polic*), and fields from: to: cc: subject: list: mid: thread: date:
 * filename: has:attachment is:root is:reply.
 */
#ifndef LARCH_SEARCH_H
#define LARCH_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "larch/status.h"
#include "larch/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum larch_search_sort {
	LARCH_SORT_RELEVANCE,
	LARCH_SORT_NEWEST,
	LARCH_SORT_OLDEST,
};

/* How to run a search; zero-initialise, then set what differs. */
struct larch_search_opts {
	unsigned int offset;	/* rows to skip */
	unsigned int limit;	/* rows wanted; 0 means count only */
	enum larch_search_sort sort;
	bool threads;		/* one row per thread, totals count threads */
	bool quotes;		/* also match quoted text, signatures */
	bool exact;		/* an exact total, however large */
	/* Rows get query-dependent snippets.  They cost about half of a
	 * page's time (each hit's stored record is read and scanned), so
	 * callers that show no snippet leave this false. */
	bool snippets;
	/* Rows' messages are left 0: callers that show no thread size
	 * (larchd's text rows) save a lookup per row, and with hidden lists
	 * a count per thread. */
	bool skip_thread_sizes;
	/*
	 * Lists whose messages must not be seen (private lists the client
	 * holds no token for): NULL-terminated, or NULL for none.  A
	 * message posted to any of them is left out of every row, count,
	 * thread and quote source, inside the query, before counting.
	 */
	const char *const *hidden_lists;
	/* Wall-clock budget of the match in milliseconds, 0 for none: past
	 * it the search stops with LARCH_ERR_TIMEOUT. */
	unsigned int time_limit_ms;
};

/* One result row.  Strings are UTF-8, never NULL ("" when absent). */
struct larch_search_row {
	char *mid;
	char *thread;
	char *parent;		/* "" for a root */
	char *list;
	char *from;		/* address */
	char *from_name;
	char *subject;
	char *summary;
	/* With opts->snippets, about 200 bytes of the new text where the
	 * query's words are, each matched word between "**" marks, "…"
	 * where cut; "" otherwise and for thread rows. */
	char *snippet;
	int64_t date;		/* seconds since the epoch, UTC */
	int depth;		/* in its thread, 0 for the root */
	int score;		/* 0..100; -1 when sorted by date */
	uint32_t messages;	/* messages in its thread (visible ones);
				 * 0 with opts->skip_thread_sizes */
	/* Private: one allocation holding the strings from mid to summary,
	 * so none of them is freed or replaced on its own (shorten one in
	 * place instead). */
	char *strings_;
};

/* Rows of a search or a thread.  Owns its rows and their strings. */
struct larch_search_result {
	uint64_t total;		/* matching messages, or threads */
	bool total_exact;	/* false when total is Xapian's estimate */
	unsigned int n_rows;
	struct larch_search_row *rows;
};

void larch_search_result_free(struct larch_search_result *result);

/*
 * For long-lived readers (larchd): indexes opened for reading keep the
 * result rows of their shards in memory, up to max_bytes for the whole
 * process (about 420 bytes a message), so that a page of results is not
 * read from disk.  A background thread reads them after each commit it
 * sees (about 0.1 s for 100,000 messages); until then, and for a shard
 * over the budget, rows come from the index as before.  0, the default,
 * keeps none and frees what is held.
 */
void larch_store_keep_rows(uint64_t max_bytes) LARCH_NOEXCEPT;
/* Bytes of rows held now (for logs and tests). */
uint64_t larch_store_rows_held(void) LARCH_NOEXCEPT;

/*
 * Runs query.  *out is a new result the caller frees.  LARCH_ERR_PARSE: a
 * bad query, and larch_store_error() reads "OFFSET: reason" (OFFSET the
 * byte offset in query where the problem is).  LARCH_ERR_TIMEOUT: the
 * time limit ran out.  LARCH_ERR_MODIFIED is retried once internally;
 * readers should larch_store_reopen() now and then to see new commits.
 */
enum larch_status larch_store_search(struct larch_store *store,
    const char *query, const struct larch_search_opts *opts,
    struct larch_search_result **out) LARCH_NOEXCEPT;

/* The number of matches (threads with opts->threads), always exact. */
enum larch_status larch_store_search_count(struct larch_store *store,
    const char *query, const struct larch_search_opts *opts,
    uint64_t *count) LARCH_NOEXCEPT;

/*
 * The visible messages of the thread holding mid, or of the thread whose
 * id mid is when no message has that id, in thread order (parents before
 * replies, siblings by date), as rows with depth and parent; score is -1.
 * LARCH_ERR_NOT_FOUND when mid is unknown or hidden (a thread's id: when
 * none of its messages is visible).
 */
enum larch_status larch_store_thread_rows(struct larch_store *store,
    const char *mid, const char *const *hidden_lists,
    struct larch_search_result **out) LARCH_NOEXCEPT;

/*
 * Whether msg belongs to one of hidden (NULL-terminated or NULL): its
 * list or any list it was cross-posted to.
 */
bool larch_search_is_hidden(const struct larch_msg *msg,
    const char *const *hidden_lists);

/* Per-list figures, for LISTS and STATS. */
struct larch_list_info {
	char *name;
	uint64_t messages;
	uint64_t threads;
	int64_t first;		/* date of its oldest message, 0 if none */
	int64_t last;
};

/*
 * Calls fn for every list not in hidden, by name.  info is only lent.  A
 * non-OK status from fn stops the walk and is returned.
 */
typedef enum larch_status (*larch_list_info_fn)(
    const struct larch_list_info *info, void *data);
enum larch_status larch_store_list_infos(struct larch_store *store,
    const char *const *hidden_lists, larch_list_info_fn fn,
    void *data) LARCH_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
