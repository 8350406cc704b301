/*
 * Read-ahead over the list of archive files larch-index is about to read.
 * The thread that reads the files also writes the index, so on a cold
 * page cache every small file (a Maildir's messages, one file each) made
 * it wait for the disk in turn: a 20k-message Maildir took 28% longer
 * than with its files cached.  Asking the kernel to start reading the
 * next files while the current one is indexed hides that wait.
 */
#ifndef LARCH_INDEXER_PREFETCH_H
#define LARCH_INDEXER_PREFETCH_H

#include <stdbool.h>

#include <glib.h>

/* How many files ahead of the one being read are asked for. */
#define LARCH_PREFETCH_FILES 64
/* Larger files are left to the kernel's own read-ahead, which follows a
 * sequential reader: asking for all of a 500 MB mbox would only push
 * other files out of the page cache. */
#define LARCH_PREFETCH_MAX_BYTES (1024 * 1024)

/* Whether path will be read at all: a file the index has read before
 * and that has not changed is not, and asking for it would read it for
 * nothing. */
typedef bool (*larch_prefetch_wanted_fn)(const char *path, void *data);

struct larch_prefetch {
	GPtrArray *files;	/* (char *) paths, the caller's */
	larch_prefetch_wanted_fn wanted;
	void *data;		/* for wanted */
	guint next;		/* first file not looked at yet */
	guint asked;		/* files the kernel was asked to read */
};

void larch_prefetch_init(struct larch_prefetch *pf, GPtrArray *files,
    larch_prefetch_wanted_fn wanted, void *data);

/*
 * Called before file i of the list is read: asks the kernel to read
 * files i+1 .. i+LARCH_PREFETCH_FILES not looked at yet that it wants
 * (posix_fadvise(POSIX_FADV_WILLNEED), which starts the reads and does
 * not wait for them).  Never blocks on a file that is not a regular
 * file any more and never changes one; a file that cannot be opened is
 * skipped here and reported when it is read.
 */
void larch_prefetch_before(struct larch_prefetch *pf, guint i);

#endif
