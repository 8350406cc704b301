/*
 * The writing end of the indexing pipeline: one message at a time, in
 * archive order, it decides whether a parsed message is new, a further
 * copy of one already indexed, or a different message reusing an id, and
 * commits in batches together with each file's progress.
 */
#ifndef LARCH_INDEXER_WRITER_H
#define LARCH_INDEXER_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "larch/msg.h"
#include "larch/status.h"
#include "larch/store.h"
#include "pipeline.h"
#include "sources.h"

/* One archive file being read.  Reference-counted: jobs hold it until
 * they are written. */
struct file_run {
	int refs;
	struct larch_source_state state;
	char *list;			/* the archive's own list name */
	const char *fallback_charset;	/* borrowed from the config */
	GPtrArray *stale;		/* mids that lost a source here */
	bool dirty;			/* state changed since the checkpoint */
	uint64_t disk_size;		/* for progress */
	bool gzip;
};

/* A run of file, with the state the index holds for it; look_up false:
 * the index certainly holds none (known_sources.h), so it is not read. */
struct file_run *file_run_new(struct larch_store *store, const char *file,
    bool look_up);
struct file_run *file_run_ref(struct file_run *run);
void file_run_unref(struct file_run *run);

enum job_kind {
	JOB_MESSAGE,
	JOB_END,	/* a file's end: its final offset */
};

struct job {
	uint64_t seq;
	enum job_kind kind;
	struct file_run *run;		/* a reference */

	/* In: one message as split. */
	char *data;
	size_t len;
	uint64_t offset;
	uint64_t length;
	enum larch_source_format format;
	int64_t envelope_date;
	char *envelope_from;
	bool grown;			/* the file's last message when last
					 * read, grown since: a longer copy */
	bool complete;			/* JOB_END: read to the end */
	const char *kind_name;		/* JOB_END: the archive's kind */
	uint64_t size;			/* JOB_END: on disk when opened */
	int64_t mtime;			/* JOB_END: microseconds */

	/* Out: from the worker. */
	char data_hash[17];		/* tail_sum() of its bytes */
	enum larch_status status;
	const char *why;		/* static, when status is not OK */
	struct larch_msg *msg;
	struct larch_store_doc *doc;

	/* From the writer: the id msg was indexed under, once a new
	 * document took msg. */
	char *written_mid;
};

struct writer;

struct writer *writer_new(struct larch_store *store,
    const struct larch_config *config, struct larch_index_totals *totals);
void writer_free(struct writer *writer);

/* Writes job (it keeps ownership).  Errors are the index's own. */
enum larch_status writer_write(struct writer *writer, struct job *job);

/* Before a rewritten file is read again: its sources are taken off every
 * message; messages left with no source are deleted at the file's end. */
enum larch_status writer_forget_file(struct writer *writer,
    struct file_run *run);

/* Deletes every message left with no source, after a run that was
 * interrupted while reading a rewritten file again. */
enum larch_status writer_sweep(struct writer *writer);

/* Records that a known source is gone (saved at the next checkpoint). */
void writer_note_vanished(struct writer *writer,
    const struct larch_source_state *state);

/* Saves progress and commits what is pending. */
enum larch_status writer_finish(struct writer *writer);

#endif
