/*
 * Reading archive files as a stream of uncompressed bytes, whether they
 * are plain or gzip'd (recognised by the magic bytes, not the name).  The
 * indexer splits archives with it; the daemon reads a message's original
 * bytes back with larch_stream_read_range().
 */
#ifndef LARCH_STREAM_H
#define LARCH_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct larch_stream;

/* Opens path read-only.  On failure *error (if not NULL) gets a message
 * "cannot open 'path': reason" that the caller g_free()s. */
enum larch_status larch_stream_open(const char *path,
    struct larch_stream **out, char **error);
void larch_stream_close(struct larch_stream *stream);

bool larch_stream_is_gzip(const struct larch_stream *stream);

/*
 * Reads up to n bytes into buf.  *got is 0 only at the end of the data.
 * A truncated or corrupt gzip stream returns LARCH_ERR_IO (after handing
 * out what could be decompressed) with larch_stream_error() saying so.
 */
enum larch_status larch_stream_read(struct larch_stream *stream, void *buf,
    size_t n, size_t *got);

/* Moves to offset of the uncompressed data.  gzip'd data is read up to
 * there (from the start when going back); past its end, the stream stays
 * at the end and reads give nothing.  A file damaged before offset gives
 * LARCH_ERR_IO. */
enum larch_status larch_stream_seek(struct larch_stream *stream,
    uint64_t offset);

/* Offset of the next byte that read will return. */
uint64_t larch_stream_tell(const struct larch_stream *stream);

/* The last error's text, owned by the stream; "" when none. */
const char *larch_stream_error(const struct larch_stream *stream);

/*
 * After a read of a gzip file failed (a truncated or corrupt member): the
 * uncompressed offset where the last member that ended cleanly ends, or
 * 0 when none did or the file is not gzip'd.  Data up to there is whole:
 * a message that ends there was not cut, even though what follows is
 * damaged.
 */
uint64_t larch_stream_clean_end(struct larch_stream *stream);

/* Of a gzip file: the uncompressed offset where the last member read so
 * far ended cleanly (0 when none has, or the file is not gzip'd).  Should
 * the member after it turn out damaged, data up to there is whole. */
uint64_t larch_stream_member_end(const struct larch_stream *stream);

/* Reads [offset, offset + length) of path's uncompressed data into out
 * (appending).  LARCH_ERR_IO, with *error set, if it cannot. */
enum larch_status larch_stream_read_range(const char *path, uint64_t offset,
    uint64_t length, GByteArray *out, char **error);

#ifdef __cplusplus
}
#endif
#endif
