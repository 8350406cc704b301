/* Finding archive files under the paths given to larch-index. */
#ifndef LARCH_INDEXER_WALK_H
#define LARCH_INDEXER_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "larch/status.h"
#include "split.h"

/*
 * Appends to files (char *, absolute, canonical) every regular file at or
 * below path, walking folders recursively.  Hidden entries (names that
 * start with '.', said with --verbose) other than Maildir++ folders,
 * Maildir tmp/ folders and the folder skip_dir (the index itself) are
 * left out.  Files
 * come in a stable order: by name, except that pipermail months
 * ("2016-May.txt.gz") sort by date, and the messages of all Maildirs
 * under path (their cur/ and new/) come together, by the delivery time
 * their names start with, where the first of them was met.  A path that cannot be read is
 * reported through *error (caller g_free()s) and returns LARCH_ERR_IO;
 * entries deeper down that cannot be read (a dangling or looping link,
 * no permission, a FIFO or device) are appended to unreadable as
 * messages, "cannot read 'PATH': why" (char *, owned by the array).
 */
enum larch_status larch_walk(const char *path, const char *skip_dir,
    GPtrArray *files, GPtrArray *unreadable, char **error);

/* Whether dir has the structure of a Maildir: a cur/ folder, or new/ and
 * tmp/ (no mail client has opened it yet).  Looks at the file system. */
bool larch_walk_is_maildir(const char *dir);

/* Whether file lies in the cur/ or new/ of a Maildir, as its messages
 * do; a folder that is merely named new or cur is not enough.  Looks at
 * the file system.  *maildir_len (when not NULL) is then the length of
 * the Maildir's own path, file up to the "/cur/" or "/new/". */
bool larch_walk_in_maildir(const char *file, size_t *maildir_len);

/*
 * The list name an archive file of kind gives itself by its place: a
 * pipermail month's folder, a pipermail HTML page's list folder, a
 * Maildir's folder (a Maildir++ folder by the last part of its dotted
 * name: ".lists.igf-mag" is igf-mag), also for an mbox in it, an mbox
 * file's name without extensions and logrotate's mark (list.mbox.1,
 * list.mbox-20231101.gz).  The caller g_free()s it.
 */
char *larch_walk_list_name(const char *file, enum larch_archive_kind kind);

/* Whether name ends with suffix, in any case (archives copied from other
 * systems come as LIST.MBOX.GZ). */
bool larch_walk_has_suffix(const char *name, const char *suffix);

#endif
