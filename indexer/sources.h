/*
 * What the index knows about each archive file it has read: how far it
 * got and a fingerprint of what it saw, kept as index metadata under
 * "source:<hash of the absolute path>" and committed together with the
 * messages, so a crash never leaves the two out of step.
 */
#ifndef LARCH_INDEXER_SOURCES_H
#define LARCH_INDEXER_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "larch/status.h"
#include "larch/store.h"
#include "split.h"

/* Bytes hashed at the start of a file to recognise it again: the splitter
 * hashes them as it opens the file. */
#define LARCH_SOURCE_PROBE LARCH_SPLIT_HEAD_BYTES

struct larch_source_state {
	char *file;		/* absolute path */
	uint64_t size;		/* on disk, at the last run */
	int64_t mtime;		/* microseconds */
	uint64_t offset;	/* uncompressed bytes read */
	char head[17];		/* larch_source_sum() of the first
				 * head_len bytes */
	uint64_t head_len;	/* PROBE, or less for a short file */
	uint64_t tail_offset;	/* where the last message read starts */
	char tail[17];		/* larch_source_sum() of that message
				 * as split */
	uint64_t tail_len;	/* its length as split; 0 when not known
				 * (indexes from before it was kept) */
	char *tail_mid;		/* the id it was indexed under, NULL
				 * when skipped or not known */
	char *kind;		/* "mbox", "pipermail", "message" */
	char *list;		/* the --list it was read with, NULL for
				 * none */
	bool list_known;	/* false in states written before the
				 * list was kept */
	uint64_t messages;	/* message copies read */
	uint64_t skipped;	/* messages that could not be indexed */
	bool vanished;		/* gone from disk at the last run */
	bool rewriting;		/* being read again after a rewrite: its
				 * old messages may have lost their source */
};

/*
 * The checks a state keeps of a file's start and of the last message
 * read, so that the next run sees they are still there: 16 hex digits
 * into out.  CRC-32 and Adler-32 side by side: they guard against an
 * edited file, not an attacker, and a SHA-256 of every message was a
 * tenth of the parsers' instructions (and of a Maildir's file start, 8%
 * of the writing thread's).
 */
void larch_source_sum(const char *data, size_t len, char out[17]);
/* Whether data is what sum was made of.  Indexes written before the sum
 * above kept a SHA-256 prefix; both are accepted. */
bool larch_source_sum_matches(const char *data, size_t len, const char *sum);

/* Whether the index holds a state for file (or cannot say: a failed
 * lookup counts as known), without reading it: the state's JSON costs
 * more to parse than the lookup. */
bool larch_source_state_known(struct larch_store *store, const char *file);
/* Fills *state from the index; LARCH_ERR_NOT_FOUND if never read.
 * Release with larch_source_state_release(). */
enum larch_status larch_source_state_load(struct larch_store *store,
    const char *file, struct larch_source_state *state);
enum larch_status larch_source_state_save(struct larch_store *store,
    const struct larch_source_state *state);
void larch_source_state_release(struct larch_source_state *state);
/* Fills *to with a copy of from that owns its strings. */
void larch_source_state_copy(struct larch_source_state *to,
    const struct larch_source_state *from);
/* Removes file's state, for a file that is now known by another name. */
enum larch_status larch_source_state_forget(struct larch_store *store,
    const char *file);

/* Parses one stored value (for walking all sources). */
enum larch_status larch_source_state_parse(const char *value,
    struct larch_source_state *state);

/* The metadata key prefix of source states. */
#define LARCH_SOURCE_KEY "source:"
/* The metadata key of file's state (caller frees). */
char *larch_source_state_key(const char *file);

/* Whether the first len uncompressed bytes of file (len at most
 * LARCH_SOURCE_PROBE) are still there and have the sum head; false too
 * when the file cannot be read. */
bool larch_source_head_matches(const char *file, uint64_t len,
    const char *head);

#endif
