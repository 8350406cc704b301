/* The progress line larch-index shows on a terminal during long runs. */
#ifndef LARCH_INDEXER_PROGRESS_H
#define LARCH_INDEXER_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

struct file_run;
struct progress;

/* files: the absolute paths about to be read (their sizes give the ETA).
 * A disabled progress does nothing. */
struct progress *progress_new(bool enabled, GPtrArray *files);
/* Clears the line.  Accepts NULL. */
void progress_free(struct progress *progress);

void progress_start_file(struct progress *progress, struct file_run *run,
    uint64_t disk_size, bool gzip);
void progress_skip_file(struct progress *progress, uint64_t disk_size);
/* A message of run was written: end is its end offset and length its
 * size, both uncompressed. */
void progress_message(struct progress *progress, struct file_run *run,
    uint64_t end, uint64_t length);

#endif
