/*
 * The index store: a plain C API over Xapian.  lib/store.cc is the only
 * C++ file and the only place that knows term prefixes, value slots and the
 * on-disk layout.  Every function catches every exception and returns a
 * status; the handle keeps a readable message about the last failure.
 *
 * Layout: DIR holds one Xapian database per shard (DIR/shard-0, ...); a
 * message's document is self-contained (its record and all its terms), so
 * shards can be searched together.  DIR/shard-0 holds the metadata.
 *
 * Threads: a struct larch_store is used by one thread at a time.  Documents
 * (struct larch_store_doc) may be built in any thread.
 */
#ifndef LARCH_STORE_H
#define LARCH_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "larch/msg.h"
#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 2: accents folded, search-row values, XROOT; 3: every default-searched
 * word also unprefixed; 4: date terms; 5: recipient address terms; 6: a
 * result row in one value; 7: fingerprints skip every lone "at" (stored
 * fingerprints and content-derived ids changed); 8: CJK characters at
 * consecutive positions, bigrams without positions, so quoted CJK phrases
 * match; 9: file names also split at '_' and '.', every trailing list
 * footer cut before the fingerprint; 10: quoted text and signatures
 * without Xapian positions, theirs in value 7; 11: the record compressed
 * by larch in value 3, not Xapian's document data; 12: tier terms (XW),
 * words held twice or more, which searches by relevance rely on.
 * (Per-list languages,
 * recorded in metadata, need no new schema.) */
#define LARCH_SCHEMA_VERSION 12

/* The implementation is C++ and throws nothing out of these functions;
 * C++ requires the declarations to say so too. */
#ifndef LARCH_NOEXCEPT
#ifdef __cplusplus
#define LARCH_NOEXCEPT noexcept
#else
#define LARCH_NOEXCEPT
#endif
#endif

struct larch_store;
struct larch_store_doc;

enum larch_store_mode {
	LARCH_STORE_READ,
	LARCH_STORE_WRITE,	/* creates DIR when missing */
};

/*
 * Opens the index in DIR.  On failure *out is still set (unless out of
 * memory) so the caller can read larch_store_error(); close it then.
 * LARCH_ERR_VERSION: written by another schema; the message says what to
 * do.  LARCH_ERR_LOCKED: another writer has it.
 */
enum larch_status larch_store_open(const char *dir, enum larch_store_mode mode,
    struct larch_store **out) LARCH_NOEXCEPT;
/* Closes without committing; accepts NULL. */
void larch_store_close(struct larch_store *store) LARCH_NOEXCEPT;

/* The last failure's message; owned by the store, valid until the next
 * call on it.  "" when there was none. */
const char *larch_store_error(const struct larch_store *store) LARCH_NOEXCEPT;

/*
 * Builds the document for msg (terms and record) without touching any
 * database: call it from worker threads.  The document copies what it
 * needs; msg may be freed afterwards.  Free with larch_store_doc_free()
 * unless handed to larch_store_put().
 */
enum larch_status larch_store_doc_new(const struct larch_msg *msg,
    struct larch_store_doc **out) LARCH_NOEXCEPT;

/*
 * Languages: words are indexed as stems of their list's language (a
 * Xapian stemmer name: "english", "french", "german", "spanish",
 * "russian"..., or "none"); English unless told otherwise.  The indexer
 * builds a list's documents in its language and records the language
 * with larch_store_set_language(), and searches stem each list's words in
 * its language.
 */
#define LARCH_STORE_LANGUAGE "english"

/* Like larch_store_doc_new(), stemming in language (NULL: English). */
enum larch_status larch_store_doc_new_in(const struct larch_msg *msg,
    const char *language, struct larch_store_doc **out) LARCH_NOEXCEPT;

/* Whether language names a stemmer Xapian has ("none" included). */
bool larch_store_language_is_known(const char *language) LARCH_NOEXCEPT;

/*
 * Records that list's messages are stemmed in language (list NULL: the
 * default for lists without their own), committed with the next commit.
 */
enum larch_status larch_store_set_language(struct larch_store *store,
    const char *list, const char *language) LARCH_NOEXCEPT;
/* The language recorded for list (NULL: the default) into *language (a
 * new string), NULL when none is recorded: an index written before, by
 * any run, is stemmed in it. */
enum larch_status larch_store_get_language(struct larch_store *store,
    const char *list, char **language) LARCH_NOEXCEPT;
/* Calls fn(list, language, data) for every list with its own recorded
 * language. */
enum larch_status larch_store_list_languages(struct larch_store *store,
    void (*fn)(const char *list, const char *language, void *data),
    void *data) LARCH_NOEXCEPT;
void larch_store_doc_free(struct larch_store_doc *doc) LARCH_NOEXCEPT;

/*
 * Gives doc the identity, lists and record of msg (after the caller
 * changed its mid, sources or lists), keeping the text terms already
 * generated.
 */
enum larch_status larch_store_doc_update(struct larch_store_doc *doc,
    const struct larch_msg *msg) LARCH_NOEXCEPT;

/*
 * Gives doc the placement of msg (its thread, parent, depth, inferred
 * flag and quote sources), set after doc was built; much cheaper than
 * larch_store_doc_update(), which rewrites the record too.  msg->mid must
 * be the mid doc was built or last updated with (LARCH_ERR_INVALID
 * otherwise).
 */
enum larch_status larch_store_doc_place(struct larch_store_doc *doc,
    const struct larch_msg *msg) LARCH_NOEXCEPT;

/* Adds doc, or replaces the document with the same mid.  Takes ownership
 * of doc whatever the result. */
enum larch_status larch_store_put(struct larch_store *store,
    struct larch_store_doc *doc) LARCH_NOEXCEPT;

/*
 * Replaces only the stored record, the thread term and the link values
 * (not the text terms) of the document with msg->mid, e.g. to add a
 * source or set its thread.  LARCH_ERR_NOT_FOUND if absent.
 */
enum larch_status larch_store_put_record(struct larch_store *store,
    const struct larch_msg *msg) LARCH_NOEXCEPT;

/*
 * Looks a message up by normalised mid.  *out is a new message holding the
 * stored record (no body); the caller frees it.  LARCH_ERR_NOT_FOUND if
 * absent.  Sees uncommitted changes of this writer.
 */
enum larch_status larch_store_get(struct larch_store *store, const char *mid,
    struct larch_msg **out) LARCH_NOEXCEPT;

/* Removes the document with mid; LARCH_ERR_NOT_FOUND if absent. */
enum larch_status larch_store_delete(struct larch_store *store,
    const char *mid) LARCH_NOEXCEPT;

/* Metadata: small strings kept with the index, committed with it.
 * get: *value is a new string (caller g_free()s) or NULL when unset. */
enum larch_status larch_store_meta_get(struct larch_store *store,
    const char *key, char **value) LARCH_NOEXCEPT;
enum larch_status larch_store_meta_set(struct larch_store *store,
    const char *key, const char *value) LARCH_NOEXCEPT;
/* Calls fn for every metadata key starting with prefix, in key order.
 * A non-OK status from fn stops the walk and is returned. */
typedef enum larch_status (*larch_store_meta_fn)(const char *key,
    const char *value, void *data);
enum larch_status larch_store_meta_foreach(struct larch_store *store,
    const char *prefix, larch_store_meta_fn fn,
    void *data) LARCH_NOEXCEPT;

/* Makes everything put or set since the last commit durable, atomically. */
enum larch_status larch_store_commit(
    struct larch_store *store) LARCH_NOEXCEPT;

/* Reader: reopens to see the latest commit. */
enum larch_status larch_store_reopen(
    struct larch_store *store) LARCH_NOEXCEPT;

/* Number of message documents. */
enum larch_status larch_store_count(struct larch_store *store,
    uint64_t *count) LARCH_NOEXCEPT;

/* Calls fn for every message document, in the order they were added.  The
 * message is only lent to fn.  A non-OK status from fn stops the walk.  A
 * reader goes on across a writer's commits (each message once, each as
 * the latest commit it saw had it: not a snapshot). */
typedef enum larch_status (*larch_store_msg_fn)(const struct larch_msg *msg,
    void *data);
enum larch_status larch_store_foreach(struct larch_store *store,
    larch_store_msg_fn fn, void *data) LARCH_NOEXCEPT;

/* A larch_store_msg_fn that appends a copy of each message's mid to data,
 * a GPtrArray (char *, g_free). */
enum larch_status larch_store_collect_mid(const struct larch_msg *msg,
    void *data) LARCH_NOEXCEPT;

/* Calls fn with each list name and its number of messages, by name. */
typedef enum larch_status (*larch_store_list_fn)(const char *list,
    uint64_t count, void *data);
enum larch_status larch_store_lists(struct larch_store *store,
    larch_store_list_fn fn, void *data) LARCH_NOEXCEPT;

/*
 * Threading queries.  They hand out "link" messages read from value slots
 * rather than whole records, because the indexer's threader runs them for
 * every new message: only mid, date, in_reply_to, references, thread,
 * parent, depth and inferred_parent are filled in.  Writers see their
 * uncommitted changes.  A non-OK status from fn stops a walk.
 */
enum larch_status larch_store_get_links(struct larch_store *store,
    const char *mid, struct larch_msg **out) LARCH_NOEXCEPT;
/* Every message whose Message-ID header was mid: more than one when
 * different messages reused an id (all but the first got derived ids). */
enum larch_status larch_store_header_links(struct larch_store *store,
    const char *mid, larch_store_msg_fn fn, void *data) LARCH_NOEXCEPT;
/* Every message of a thread. */
enum larch_status larch_store_thread_links(struct larch_store *store,
    const char *thread, larch_store_msg_fn fn, void *data) LARCH_NOEXCEPT;
/* The latest max messages of a thread dated no later than before, newest
 * first; fn gets link messages. */
enum larch_status larch_store_thread_latest(struct larch_store *store,
    const char *thread, int64_t before, unsigned max, larch_store_msg_fn fn,
    void *data) LARCH_NOEXCEPT;
/* Every message whose In-Reply-To or References names mid. */
enum larch_status larch_store_referrer_links(struct larch_store *store,
    const char *mid, larch_store_msg_fn fn, void *data) LARCH_NOEXCEPT;
/* Number of threads in the index. */
enum larch_status larch_store_count_threads(struct larch_store *store,
    uint64_t *count) LARCH_NOEXCEPT;
/* Number of messages in a thread. */
enum larch_status larch_store_thread_size(struct larch_store *store,
    const char *thread, uint64_t *count) LARCH_NOEXCEPT;
/*
 * The latest message of list whose subject key
 * (larch_thread_subject_key()) is key, dated in [from, to], other than
 * not_mid: *mid is a new string, or NULL when there is none.
 */
enum larch_status larch_store_latest_by_subject(struct larch_store *store,
    const char *list, const char *key, const char *not_mid, int64_t from,
    int64_t to, char **mid) LARCH_NOEXCEPT;
/* The first max messages of list (NULL: of every list) whose subject key
 * is key, dated in [from, to], newest or oldest first; with mid_suffix,
 * only those that may have lost their id: whose mid ends with it or is
 * one Mailman's archiver made up (larch_mid_is_archive_assigned()), or,
 * with or_shared_id, whose Message-ID another message carried too.  fn
 * gets link messages. */
enum larch_status larch_store_subject_links(struct larch_store *store,
    const char *list, const char *key, int64_t from, int64_t to,
    const char *mid_suffix, bool or_shared_id, bool newest_first,
    unsigned max, larch_store_msg_fn fn, void *data) LARCH_NOEXCEPT;

/*
 * Pipermail article pages (larch/article.h).  The messages shown at the
 * page list/month/number.html: *mids is a new NULL-terminated array of
 * mids in index order (free it with g_strfreev()); usually one, more when
 * an archive was rebuilt and renumbered.  list NULL matches the page in
 * every list (for a bare "2016-May/003251.html").  month is "YYYY-Month"
 * (any case).  LARCH_ERR_NOT_FOUND (*mids NULL, the error text names the
 * page) when no message is recorded there; LARCH_ERR_INVALID when month
 * is not a month.  The list is the name the indexer gave the page's list
 * (--list, the config, else the folder name in its path): a caller that
 * finds nothing under a URL's list may retry with NULL.
 */
enum larch_status larch_store_find_article(struct larch_store *store,
    const char *list, const char *month, uint32_t number,
    char ***mids) LARCH_NOEXCEPT;

/*
 * Every message whose author address is addr (lowercase) and whose subject,
 * compared as threading compares subjects (larch_thread_subject_key()),
 * is that of subject, dated in [from, to]: fn gets link messages (see the
 * threading queries), at most 64.  The indexer's way to find a message
 * that an HTML page without a Message-ID shows.
 */
enum larch_status larch_store_author_subject_links(struct larch_store *store,
    const char *addr, const char *subject, int64_t from, int64_t to,
    larch_store_msg_fn fn, void *data) LARCH_NOEXCEPT;

/* Bytes the index occupies on disk. */
enum larch_status larch_store_disk_size(struct larch_store *store,
    uint64_t *bytes) LARCH_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
