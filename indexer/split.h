/*
 * Archive splitting: turns one archive file (mbox in any variant, a
 * pipermail monthly .txt, a single message; each possibly gzip'd) into the
 * byte ranges of its messages.  Line endings are normalised to LF in the
 * bytes handed out; offsets and lengths always refer to the original
 * uncompressed stream, so the source can be read back.
 */
#ifndef LARCH_SPLIT_H
#define LARCH_SPLIT_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "larch/msg.h"
#include "larch/status.h"

enum larch_archive_kind {
	LARCH_ARCHIVE_UNKNOWN = 0,	/* not mail: the caller skips the file */
	LARCH_ARCHIVE_MBOX,
	LARCH_ARCHIVE_PIPERMAIL,
	LARCH_ARCHIVE_MESSAGE,		/* one message: .eml, Maildir file */
	LARCH_ARCHIVE_PIPERMAIL_HTML,	/* one pipermail HTML article page,
					 * handed out whole */
};

/* One message found in the archive.  data is only valid until the next
 * call to larch_split_next(). */
struct larch_split_msg {
	uint64_t offset;	/* first byte of the separator line or message */
	uint64_t length;	/* up to the next separator (or end of file) */
	const char *data;	/* the message itself: no separator line,
				 * unescaped, LF line ends, NUL-terminated */
	size_t len;
	enum larch_source_format format;
	int64_t envelope_date;	/* from the separator line, 0 if none */
	const char *envelope_from; /* un-obfuscated address, or NULL */
	bool truncated;		/* cut at the size limit or end of file */
	bool cut_short;		/* the file ends inside its last line and
				 * the message is within the size limit:
				 * a truncated archive, most likely */
};

struct larch_split;

struct larch_split_opts {
	/* Messages larger than this are cut (and flagged truncated). */
	size_t max_message;
};

/*
 * Opens path and recognises its kind from its content (and name only as a
 * hint).  Reading starts at start_offset of the uncompressed stream, which
 * must be a message boundary that an earlier run reported.  On failure
 * *error gets a message the caller g_free()s.
 */
enum larch_status larch_split_open(const char *path, uint64_t start_offset,
    const struct larch_split_opts *opts, struct larch_split **out,
    char **error);
void larch_split_close(struct larch_split *split);

enum larch_archive_kind larch_split_kind(const struct larch_split *split);

/*
 * For an mbox or pipermail file that does not start with a separator (a
 * damaged first line, a blank line, junk), the offset of its first
 * separator in the first 64 KiB: the bytes before it belong to no
 * message.  0 for every other file (a UTF-8 byte order mark in front of
 * the first separator is skipped without counting).
 */
uint64_t larch_split_lead(const struct larch_split *split);
/* Bytes of a file's start that larch_split_head() hashes. */
#define LARCH_SPLIT_HEAD_BYTES 4096

/* The sum (16 hex digits, larch_source_sum() in sources.h) of
 * the first up to LARCH_SPLIT_HEAD_BYTES bytes of the uncompressed data;
 * returns how many bytes that is. */
uint64_t larch_split_head(const struct larch_split *split, char out[17]);

/* Whether the file is gzip'd (its data is read decompressed). */
bool larch_split_is_gzip(const struct larch_split *split);
const char *larch_archive_kind_name(enum larch_archive_kind kind);

/*
 * The next message: LARCH_OK with *msg filled, LARCH_DONE at the end,
 * or an error (LARCH_ERR_IO for a read error or truncated gzip, with
 * larch_split_error() saying what and where); messages read before an error
 * are still valid.
 */
enum larch_status larch_split_next(struct larch_split *split,
    struct larch_split_msg *msg);
const char *larch_split_error(const struct larch_split *split);

/* Offset just past the last message returned: where a later run resumes. */
uint64_t larch_split_offset(const struct larch_split *split);

#endif
