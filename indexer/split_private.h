/*
 * Declarations shared by the files of the archive splitter: split_read.c
 * (the line reader, line ends, separators), split.c (cutting messages,
 * the interface in split.h) and split_kind.c (recognising the kind of a
 * file).  Not a public interface: nothing outside indexer/split*.c
 * includes this.
 */
#ifndef LARCH_INDEXER_SPLIT_PRIVATE_H
#define LARCH_INDEXER_SPLIT_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "larch/stream.h"
#include "split.h"

#define NO_PIN			SIZE_MAX

/* Raw bytes of the stream: buf[pos, len) not read yet; from pin on kept. */
struct reader {
	struct larch_stream *stream;
	char *buf;
	size_t cap;
	size_t len;
	size_t pos;
	size_t pin;
	uint64_t base;		/* stream offset of buf[0] */
	/* larch_stream_member_end() as of the last read: it changes only
	 * when the stream is read, and is wanted for every line. */
	uint64_t member_end;
	bool eof;
	bool failed;
};

/* One line, or a piece of a long one, at reader.pos. */
struct line {
	const char *p;		/* content without the line end */
	size_t n;
	size_t raw;		/* bytes it takes in the stream */
	uint64_t off;		/* stream offset of p[0] */
	bool start;		/* begins a line (not a continuation piece) */
	bool eol;		/* has its line end */
};

struct larch_split {
	char *path;
	char head[17];		/* hash of the first head_len raw bytes */
	uint64_t head_len;
	struct reader rd;
	enum larch_archive_kind kind;
	enum larch_source_format format;
	bool content_length;	/* the first message has a Content-Length:
				 * an mboxcl or mboxcl2 file */
	bool cr;		/* bare CR line ends (in this region) */
	bool sep_guessed;	/* split_check_separator() said yes on
				 * data cut in the next line */
	bool at_line_start;
	size_t max;
	uint64_t done;		/* larch_split_offset() */
	bool finished;
	enum larch_status failed;	/* sticky error, LARCH_OK when none */
	char *error;

	char *data;		/* the message being built */
	size_t data_cap;
	size_t vlen;		/* its length had it not been cut */
	bool escaped;		/* a ">From " line was seen */
	GString *from;
	bool envelope;		/* a single message starts with "From " */
	int64_t envelope_date;
	uint64_t lead;		/* damage before the first separator */
};

/* split_read.c */

/*
 * Makes want bytes available from r->pos, unless the data ends first
 * (reading more, sliding or growing the buffer: pointers into it go
 * stale).  LARCH_ERR_IO only when the bytes cannot be had.
 */
enum larch_status split_fill(struct reader *r, size_t want);

/* The line at the read position, not consumed: LARCH_DONE at the end. */
enum larch_status split_peek_line(struct larch_split *s, struct line *l);

/* Empties the reader for a read from base (an offset of the stream). */
void split_reader_reset(struct reader *r, uint64_t base);

/* Whether p[0, n) could begin "From ": n == 0 too. */
bool split_is_from_prefix(const char *p, size_t n);

/* Takes the line end style of the line at the read position (a line
 * start): each message is read in its separator's style. */
void split_take_line_style(struct larch_split *s);

/* Moves the read position past l (from split_peek_line()).  Here, not in
 * split_read.c: it is called for every line, and a call into another
 * file is not inlined. */
static inline void
split_consume(struct larch_split *s, const struct line *l)
{
	s->rd.pos += l->raw;
	s->at_line_start = l->eol;
}

/* Whether reading failed and at is where the last whole gzip member
 * ended (data up to there is whole); split_is_at_clean_end(): the read
 * position is such an end, at a line start. */
bool split_is_clean_end(struct larch_split *s, uint64_t at);
bool split_is_at_clean_end(struct larch_split *s);

/* Whether p[0, n) starts with "Name:" (or the obsolete "Name :"). */
bool split_is_field_start(const char *p, size_t n);

/*
 * Whether the line l at the read position separates messages (*yes): the
 * strict envelope pattern, then a header field on the next line.  With
 * env, the envelope goes to s->from, *date and *obfuscated.  Reading
 * ahead may move the buffer: l->p is refreshed.  When a read error cut
 * the next line, what is there of it decides (s->sep_guessed).
 */
enum larch_status split_check_separator(struct larch_split *s,
    struct line *l, bool *yes, bool env, int64_t *date, bool *obfuscated);

/* split_kind.c */

/*
 * Sets s->kind, s->format, s->cr (and the envelope of a single message)
 * from the start of the file, and hashes that start into s->head.  The
 * reader stays at offset 0.
 */
void split_detect(struct larch_split *s);

#endif
