/*
 * The archive splitter's reading (see split.c): the file through a
 * sliding buffer one line at a time (a line longer than FRAGMENT_MAX
 * comes in pieces), line ends, and whether a "From " line separates
 * messages.
 *
 * Line ends are LF (CRLF taken too) or bare CR, the style of the first
 * line; an mbox concatenated from files of both styles changes style at
 * a separator that ends in the other one (follow_region()).
 */
#include <string.h>

#include "larch/stream.h"
#include "envelope.h"
#include "split_private.h"

#define READ_CHUNK		((size_t)256 << 10)
/* Less room than this left after the data, and the buffer slides or
 * grows before the next read.  (It grew whenever less than a whole chunk
 * was left: a Maildir's every file was read into 256 KiB, then copied
 * into 512 KiB, 2% of the writing thread.) */
#define READ_ROOM_MIN		(READ_CHUNK / 4)
#define FRAGMENT_MAX		((size_t)256 << 10)
#define FIELD_NAME_MAX		998	/* RFC 5322 line length limit */
/* Read ahead of a "From " line to tell its line end and its next line's. */
#define REGION_LOOK		((size_t)2 << 10)

/* ---- reading ------------------------------------------------------- */

/* Makes want bytes available from pos, unless the data ends first.  An
 * error is reported only when the bytes cannot be had. */
enum larch_status
split_fill(struct reader *r, size_t want)
{
	while (r->len - r->pos < want && !r->eof && !r->failed) {
		size_t keep = MIN(r->pos, r->pin);
		size_t got;

		if (r->cap - r->len < READ_ROOM_MIN) {
			/* Slide only when that frees as much as it moves, so
			 * a long pinned stretch is not copied again and
			 * again. */
			if (keep > 0 && keep >= r->len - keep) {
				memmove(r->buf, r->buf + keep, r->len - keep);
				r->len -= keep;
				r->pos -= keep;
				if (r->pin != NO_PIN)
					r->pin -= keep;
				r->base += keep;
			}
			if (r->cap - r->len < READ_ROOM_MIN) {
				r->cap = MAX(r->cap * 2, r->len + READ_CHUNK);
				r->buf = g_realloc(r->buf, r->cap);
			}
		}
		if (larch_stream_read(r->stream, r->buf + r->len,
		    r->cap - r->len, &got) != LARCH_OK)
			r->failed = true;
		r->member_end = larch_stream_member_end(r->stream);
		r->len += got;
		if (got == 0 && !r->failed)
			r->eof = true;
	}
	if (r->len - r->pos < want && r->failed)
		return LARCH_ERR_IO;
	return LARCH_OK;
}

void
split_reader_reset(struct reader *r, uint64_t base)
{
	r->len = r->pos = 0;
	r->pin = NO_PIN;
	r->base = base;
	r->member_end = 0;
	r->eof = r->failed = false;
}

/* Whether p[0, n) could begin "From ": n == 0 too. */
bool
split_is_from_prefix(const char *p, size_t n)
{
	return n == 0 || memcmp(p, "From ", MIN(n, (size_t)5)) == 0;
}

/*
 * The first line end in p[0, n): its offset (*len), its size (*skip) and
 * whether it is a bare CR.  false when there is none, or only a CR last,
 * which an LF may follow.
 */
static bool
first_line_end(const char *p, size_t n, size_t *len, size_t *skip,
    bool *bare)
{
	const char *lf = memchr(p, '\n', n);
	const char *cr = memchr(p, '\r', lf != NULL ? (size_t)(lf - p) : n);

	if (cr != NULL) {
		if (cr + 1 == p + n)
			return false;
		*bare = cr[1] != '\n';
		*len = (size_t)(cr - p);
		*skip = *bare ? 1 : 2;
		return true;
	}
	if (lf == NULL)
		return false;
	*bare = false;
	*len = (size_t)(lf - p);
	*skip = 1;
	return true;
}

/*
 * Whether the "From " line at p (avail bytes) starts a region of the
 * other line end: an mbox concatenated from an old Mac one (bare CR) and
 * a Unix or Windows one (LF, CRLF).  The line must end in the other style
 * and be a separator in it, a header field ending in that style after it;
 * a stray CR inside a line of an LF file is text.  (A CRLF separator in a
 * CR region also switches back: LF reading takes CRLF, and a lone CR in
 * a CRLF line then stays text.)
 */
static bool
is_region_switch(const struct larch_split *s, const char *p, size_t avail)
{
	size_t n = MIN(avail, REGION_LOOK), len, skip, flen, fskip;
	bool bare, fbare;

	if (!first_line_end(p, n, &len, &skip, &bare) || bare == s->cr ||
	    !larch_envelope_match(p, len, NULL, NULL, NULL))
		return false;
	p += len + skip;
	n -= len + skip;
	return split_is_field_start(p, n) &&
	    first_line_end(p, n, &flen, &fskip, &fbare) && fbare == bare;
}

/*
 * Follows the line ends of an mbox from region to region: called at a
 * line start, it looks only at "From " lines, so an LF file pays one byte
 * test a line.  Files of one message, and the start of a file while its
 * kind is being found, keep the line end their first line has.
 */
static void
follow_region(struct larch_split *s)
{
	struct reader *r = &s->rd;
	size_t avail = r->len - r->pos;

	if (s->kind != LARCH_ARCHIVE_MBOX && s->kind != LARCH_ARCHIVE_PIPERMAIL)
		return;
	if (avail < REGION_LOOK && !r->eof && !r->failed &&
	    split_is_from_prefix(r->buf + r->pos, avail)) {
		/* A read error shows up when the line is read. */
		(void)split_fill(r, REGION_LOOK);
		avail = r->len - r->pos;
	}
	if (avail >= 5 && memcmp(r->buf + r->pos, "From ", 5) == 0 &&
	    is_region_switch(s, r->buf + r->pos, avail))
		s->cr = !s->cr;
}

/*
 * Takes the line end style of the line at the read position (a line
 * start): bare CR when its first line end is one, else LF (which takes
 * CRLF too).  Each message is read in its separator's style, so reading
 * from a message's offset (a later run resuming there) goes as reading
 * up to it did, whatever regions came before.
 */
void
split_take_line_style(struct larch_split *s)
{
	struct reader *r = &s->rd;
	size_t len, skip;
	bool bare;

	if (r->len - r->pos < REGION_LOOK)
		(void)split_fill(r, REGION_LOOK);
	if (r->len > r->pos && first_line_end(r->buf + r->pos,
	    MIN(r->len - r->pos, REGION_LOOK), &len, &skip, &bare))
		s->cr = bare;
}

/* The line at the read position, not consumed: LARCH_DONE at the end. */
enum larch_status
split_peek_line(struct larch_split *s, struct line *l)
{
	struct reader *r = &s->rd;
	size_t scanned = 0;
	char end;

	if (s->at_line_start)
		follow_region(s);
	end = s->cr ? '\r' : '\n';
	for (;;) {
		const char *p = r->buf + r->pos;
		size_t avail = r->len - r->pos;
		size_t limit = MIN(avail, FRAGMENT_MAX);
		const char *e = scanned < limit ?
		    memchr(p + scanned, end, limit - scanned) : NULL;

		l->p = p;
		l->off = r->base + r->pos;
		l->start = s->at_line_start;
		if (e != NULL) {
			l->n = (size_t)(e - p);
			l->raw = l->n + 1;
			l->eol = true;
			if (!s->cr) {
				if (l->n > 0 && p[l->n - 1] == '\r')
					l->n--;
				return LARCH_OK;
			}
			/* A CR LF pair is one line end in CR files too. */
			if (l->raw < avail || r->eof || r->failed) {
				if (l->raw < avail && p[l->raw] == '\n')
					l->raw++;
				return LARCH_OK;
			}
			scanned = l->n;
		} else if (avail >= FRAGMENT_MAX) {
			l->n = l->raw = FRAGMENT_MAX;
			/* Keep a CR with the LF that may follow it. */
			if (!s->cr && p[l->n - 1] == '\r')
				l->n = l->raw = l->n - 1;
			l->eol = false;
			return LARCH_OK;
		} else if (r->eof || r->failed) {
			if (avail == 0)
				return r->failed ? LARCH_ERR_IO : LARCH_DONE;
			if (r->failed)
				return LARCH_ERR_IO;
			l->n = l->raw = avail;
			l->eol = false;
			return LARCH_OK;
		} else {
			scanned = avail;
		}
		if (split_fill(r, avail + 1) != LARCH_OK &&
		    r->len - r->pos == 0)
			return LARCH_ERR_IO;
	}
}

/*
 * Whether reading failed and at is where the last whole gzip member
 * ended: a gzip'd file made of several members (appended to, or written
 * in blocks) whose last member is damaged or cut.  Data up to there is
 * whole; what is there then decides, as at the end of a file, and the
 * message in progress ends there rather than being dropped with the
 * damage.
 */
bool
split_is_clean_end(struct larch_split *s, uint64_t at)
{
	return s->rd.failed && at > 0 &&
	    larch_stream_clean_end(s->rd.stream) == at;
}

/* Whether the read position is such a clean end, at a line start (what
 * the damaged member gave after it, if anything, is not a whole line). */
bool
split_is_at_clean_end(struct larch_split *s)
{
	return s->at_line_start &&
	    split_is_clean_end(s, s->rd.base + s->rd.pos);
}

/* ---- separators and envelopes -------------------------------------- */

static bool
is_field_name_char(unsigned char c)
{
	return c > ' ' && c < 127 && c != ':';
}

/* Whether p[0, n) starts with "Name:" (or the obsolete "Name :").  Only
 * the first FIELD_NAME_MAX + 2 bytes count, as many as the separator
 * test reads ahead: with more, the answer for a very long name followed
 * by blanks would depend on where the file's reads happened to end. */
bool
split_is_field_start(const char *p, size_t n)
{
	size_t i, k;

	n = MIN(n, (size_t)FIELD_NAME_MAX + 2);
	for (i = 0; i < n && i <= FIELD_NAME_MAX; i++)
		if (!is_field_name_char((unsigned char)p[i]))
			break;
	for (k = i; k < n && (p[k] == ' ' || p[k] == '\t'); k++)
		;
	return i > 0 && k < n && p[k] == ':';
}

/* Whether p[0, n), the start of a line whose rest is missing, may be
 * the start of a header field: a field's start, or a name so far (with
 * blanks after it), or nothing. */
static bool
may_be_field_start(const char *p, size_t n)
{
	size_t i, k;

	if (split_is_field_start(p, n))
		return true;
	for (i = 0; i < n && i <= FIELD_NAME_MAX; i++)
		if (!is_field_name_char((unsigned char)p[i]))
			break;
	for (k = i; k < n && (p[k] == ' ' || p[k] == '\t'); k++)
		;
	return k == n && i <= FIELD_NAME_MAX && (i > 0 || n == 0);
}

/*
 * Whether the line at the read position separates messages: the strict
 * pattern, then a header field on the next line.  When env is true, the
 * envelope goes to s->from, *date and *obfuscated (an obfuscated address).
 * Reading ahead may move the buffer: l->p is refreshed.
 */
enum larch_status
split_check_separator(struct larch_split *s, struct line *l, bool *yes,
    bool env, int64_t *date, bool *obfuscated)
{
	struct reader *r = &s->rd;
	enum larch_status st;
	const char *next;
	size_t avail;

	*yes = false;
	s->sep_guessed = false;
	if (!l->start || !l->eol)
		return LARCH_OK;
	/* A line holding the other style's line end is none: a separator
	 * is one in the style of its own first line end, as a message
	 * starts in it (split_take_line_style()). */
	if (memchr(l->p, s->cr ? '\n' : '\r', l->n) != NULL ||
	    !larch_envelope_match(l->p, l->n, env ? s->from : NULL, date,
	    obfuscated))
		return LARCH_OK;
	st = split_fill(r, l->raw + FIELD_NAME_MAX + 2);
	l->p = r->buf + r->pos;
	next = l->p + l->raw;
	avail = r->len - r->pos - l->raw;
	/* Past a read error only whole data may decide: a cut stream's
	 * next line may be cut before its colon.  A next line read to its
	 * end is whole, whatever damage follows it; one that starts where
	 * the last whole gzip member ended is not there. */
	if (st != LARCH_OK && !split_is_clean_end(s, r->base + r->len) &&
	    memchr(next, s->cr ? '\r' : '\n', avail) == NULL) {
		/* The data was cut (a truncated gzip) in the next line, or
		 * right before it: what is there of a field counts as one,
		 * after a line of the strict pattern, so the message before
		 * ends whole here. */
		if (!split_is_clean_end(s, l->off + l->raw)) {
			*yes = s->sep_guessed = may_be_field_start(next,
			    avail);
			return LARCH_OK;
		}
		avail = 0;
	}
	*yes = split_is_field_start(next, avail);
	return LARCH_OK;
}
