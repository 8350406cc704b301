/*
 * A message's original bytes, read back from the archive that holds it:
 * what larchd's RAW command sends.  A source (struct larch_source) is a byte
 * range of a file's uncompressed stream; for mbox and pipermail the range
 * starts with the "From " separator line and may carry the blank line an
 * mbox writer adds after each message and the format's escaping of body
 * lines that start with "From ".  This module takes that framing off again,
 * the way the indexer's splitter did when it read the message.
 *
 * Owner: the daemon engineer (larchd).  Used by daemon/ only.
 */
#ifndef LARCH_RAW_H
#define LARCH_RAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "larch/msg.h"
#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Removes the framing of format from data[0, len) in place: for the mbox
 * formats and pipermail the first line when it is a "From " line and one
 * trailing line end when the range ends in an empty line; for mboxcl the
 * body is cut to its Content-Length when that is shorter and only line
 * ends follow (else the length was wrong), and no '>' goes; for mboxo one '>'
 * from ">From " lines, for mboxrd one '>' from every ">...>From " line.  A
 * line end is LF, CRLF or a bare CR (CR archives).  LARCH_FORMAT_FILE is
 * left as it is.  Returns the new length.  Pure; never fails.
 */
size_t larch_raw_unframe(char *data, size_t len,
    enum larch_source_format format);

/*
 * Reads the message copy src (gzip'd files are decompressed) and appends
 * its original bytes, unframed, to out.  A copy longer than max bytes is
 * LARCH_ERR_TOO_BIG (max 0: no limit).  LARCH_ERR_IO when the file cannot
 * be read or has changed so that the range is gone; *error (if not NULL)
 * then gets a message the caller g_free()s.  out is left as it was on
 * failure.
 */
enum larch_status larch_raw_read(const struct larch_source *src,
    uint64_t max, GByteArray *out, char **error);

/*
 * Whether data[0, len), a copy as larch_raw_read() gives it, is the
 * message whose normalised Message-ID is mid: one of its Message-ID
 * fields (its own, or that of a message it wraps) holds it.  A file
 * rewritten since it was indexed can hold another message where the index
 * says this one is.  True when mid is NULL (the message had no id).
 */
bool larch_raw_has_mid(const char *data, size_t len, const char *mid);

#ifdef __cplusplus
}
#endif
#endif
