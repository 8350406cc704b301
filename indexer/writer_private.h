/*
 * Declarations shared by the files of the writer: writer.c (its life,
 * checkpoints, copies and id clashes, the interface in writer.h),
 * writer_pages.c (pipermail HTML pages) and writer_forget.c (a rewritten
 * file's copies taken off, lists worked out again).  Not a public
 * interface: nothing outside indexer/writer*.c includes this.
 */
#ifndef LARCH_INDEXER_WRITER_PRIVATE_H
#define LARCH_INDEXER_WRITER_PRIVATE_H

#include <stdbool.h>

#include <glib.h>

#include "larch/msg.h"
#include "larch/status.h"
#include "threader.h"
#include "writer.h"

struct writer {
	struct larch_store *store;
	const struct larch_config *config;	/* borrowed */
	unsigned batch;
	unsigned pending;		/* messages since the last commit */
	struct larch_index_totals *totals;
	GPtrArray *dirty;		/* struct file_run *, referenced */
	GPtrArray *vanished;		/* struct larch_source_state * */
	struct threader *threader;
	bool pages_without_id;		/* some message is known only from
					 * pipermail pages that name no id */
	GHashTable *lists_before;	/* mid -> char ** (its list, then its
					 * other lists) before a rewritten
					 * file's copy was taken off */
};

/* Index metadata: set once a page without a Message-ID is indexed alone. */
#define KEY_PAGES_WITHOUT_ID "larch:pages-without-id"

/* writer.c */

/* Adds run to what the next checkpoint saves. */
void writer_mark_dirty(struct writer *w, struct file_run *run);

/* A further copy of the message old (job keeps its message); *seen
 * when old had this source already. */
enum larch_status writer_add_copy(struct writer *w, struct larch_msg *old,
    const struct job *job, bool *seen);

/* Writes job's message as a new document; the store takes job->doc
 * whatever happens. */
enum larch_status writer_add_new(struct writer *w, struct job *job);

/* Job's copy becomes the record of old (see writer.c); counted as a
 * further copy. */
enum larch_status writer_replace(struct writer *w,
    const struct larch_msg *old, struct job *job);

/* Of the messages that carried msg's Message-ID, the one with msg's
 * content, or *out NULL.  The caller frees *out. */
enum larch_status writer_find_same(struct writer *w,
    const struct larch_msg *msg, struct larch_msg **out);

/* writer_pages.c */

/* Moves msg's source just added before its pipermail pages' sources. */
void writer_place_before_pages(struct larch_msg *msg);

/* Whether one of m's sources is in file. */
bool writer_shares_file(const struct larch_msg *m, const char *file);


/* A mail copy not indexed under its id; *seen as for writer_add_copy(). */
enum larch_status writer_add_mail(struct writer *w, struct job *job,
    bool *seen);

/* A pipermail HTML page. */
enum larch_status writer_write_page(struct writer *w, struct job *job);

/* writer_forget.c */

/* A table of removed messages, mid -> thread (both owned). */
GHashTable *writer_gone_new(void);

/* After the messages in gone were removed: the quotes that named one as
 * their source name none, as a run without them would have them.  Each
 * of their threads is read once. */
enum larch_status writer_unquote(struct writer *w, GHashTable *gone);

/*
 * Before job, the first message of a grown file, is written: when the
 * file's last message was cut inside its headers when last read, that
 * copy was indexed under another id (derived, or a Message-ID cut
 * short) than the whole message has now.  It loses that source, and
 * goes when it has no other; *forgot tells whether it did.
 */
enum larch_status writer_forget_cut_tail(struct writer *w,
    const struct job *job, bool *forgot);

/* Before a grown last message replaces old, what was read of it: the cut
 * copy at file and offset is taken off old, with the lists it gave (one
 * cut before its List-Id was given the file's name); old's other copies
 * keep theirs.  Only old changes, not the index. */
void writer_forget_cut_copy(struct writer *w, struct larch_msg *old,
    const char *file, uint64_t offset);

/* At a rewritten file's end: msg's lists back in their order from before
 * the file's copy was taken off. */
enum larch_status writer_restore_lists(struct writer *w,
    const struct file_run *run, struct larch_msg *msg);

#endif
