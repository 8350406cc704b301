/*
 * The index's blocks read from memory instead of by system call.
 *
 * Xapian 1.4 reads each B-tree block it needs with pread(2) into a buffer
 * of its own and keeps no block between lookups, so a search made 45 to
 * 135 system calls, each copying 8 KiB out of the page cache; reading
 * them from memory saved larchd about 15% of its CPU per phrase answer
 * and 4-10% for most other searches (docs/PERFORMANCE.md, Queries,
 * twelfth round).
 * Xapian has no other way to read, so larchd defines open(), close() and
 * pread() itself, and the dynamic linker sends Xapian's calls (and every
 * other library's) there.  A file whose name ends in ".glass" opened
 * read-only, which is what Xapian's readers open, is also mapped into
 * memory, and a pread() of it becomes a copy from the mapping: the same
 * page-cache pages, without the system call.  Everything else goes to the
 * C library unchanged.
 *
 * What this relies on:
 * - Xapian's glass readers open a table with open(), read it with pread()
 *   and close it with close().  A table read another way is read as
 *   before; only a table fd closed without close() could leave a stale
 *   mapping behind, and Xapian closes none that way.
 * - An open table file does not shrink: glass writes a new revision into
 *   new or freed blocks and never truncates.  If one is truncated all the
 *   same, the copy's SIGBUS is caught and that read is done by pread(),
 *   whose short read Xapian reports as a corrupt database: an error
 *   reply, not a crash.
 * - A table file grows as larch-index commits: a read past the mapping
 *   maps the file again at its new size.
 * - A file descriptor is read by one thread at a time (each worker has
 *   its own Xapian::Database, workers.h), so the thread that reads a
 *   mapping is the only one that replaces or unmaps it.
 *
 * On a 32-bit system nothing is mapped (the address space would not hold
 * the index once per worker) and the C library's functions are used.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_INDEX_READS_H
#define LARCHD_INDEX_READS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether table files opened from now on are mapped (map_index in
 * larchd.conf; off until called).  The first call with on = true also
 * installs the SIGBUS handler, so call it before starting threads.
 * Files already open stay as they are until closed.
 */
void index_reads_enable(bool on);

/* How many bytes of fd are mapped: 0 when it is not a mapped table.  For
 * tests. */
size_t index_reads_mapped(int fd);

#endif
