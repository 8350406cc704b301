/*
 * Read-ahead over the list of archive files larch-index is about to read.
 * The thread that reads the files also writes the index, so on a cold
 * page cache every small file (a Maildir's messages, one file each) made
 * it wait for the disk in turn: a 20k-message Maildir took 28% longer
 * than with its files cached.  Asking the kernel to start reading the
 * next files while the current one is indexed hides that wait.
 *
 * The asking (an open, fstat, posix_fadvise and close of each file) is
 * done by a thread of its own: on the thread that writes the index it was 3% of
 * that thread's time in a 100k-message Maildir run, and that thread is
 * what limits the run (docs/PERFORMANCE.md, twenty-fourth session).
 */
#ifndef LARCH_INDEXER_PREFETCH_H
#define LARCH_INDEXER_PREFETCH_H

#include <stdbool.h>

#include <glib.h>

/* How many files ahead of the one being read are asked for, handed to
 * the asking thread at least this many at a time. */
#define LARCH_PREFETCH_FILES 64
#define LARCH_PREFETCH_BATCH 16
/* Larger files are left to the kernel's own read-ahead, which follows a
 * sequential reader: asking for all of a 500 MB mbox would only push
 * other files out of the page cache. */
#define LARCH_PREFETCH_MAX_BYTES (1024 * 1024)

/* Whether path will be read at all: a file the index has read before
 * and that has not changed is not, and asking for it would read it for
 * nothing.  Called on the caller's thread only. */
typedef bool (*larch_prefetch_wanted_fn)(const char *path, void *data);

struct larch_prefetch {
	GPtrArray *files;	/* (char *) paths, the caller's; unchanged
				 * until larch_prefetch_finish() */
	larch_prefetch_wanted_fn wanted;
	void *data;		/* for wanted */
	guint next;		/* first file not looked at yet */
	guint queued;		/* files handed to the asking thread */
	guint asked;		/* files the kernel was asked to read: the
				 * asking thread's count, read it after
				 * larch_prefetch_finish() */
	gint reading;		/* the file being read (atomic): the asking
				 * thread skips files up to it */
	GAsyncQueue *queue;	/* GArray *s of file numbers, for the thread */
	GThread *thread;	/* started with the first file wanted */
	bool no_thread;		/* it could not be: ask on the caller's */
};

void larch_prefetch_init(struct larch_prefetch *pf, GPtrArray *files,
    larch_prefetch_wanted_fn wanted, void *data);

/*
 * Called before file i of the list is read: hands files i+1 ..
 * i+LARCH_PREFETCH_FILES not looked at yet that wanted() accepts to the
 * asking thread, once there are LARCH_PREFETCH_BATCH of them to look at
 * (or the window reaches the last file).  The thread asks the kernel to
 * read each one (posix_fadvise(POSIX_FADV_WILLNEED), which starts the
 * reads and does not wait for them) unless the caller has reached it.
 * The thread never blocks on a file that is not a regular file any more
 * and never changes one; a file that cannot be opened is skipped there
 * and reported when it is read.
 */
void larch_prefetch_before(struct larch_prefetch *pf, guint i);

/* Stops the asking thread once it has dealt with what it was handed. */
void larch_prefetch_finish(struct larch_prefetch *pf);

#endif
