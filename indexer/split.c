/*
 * Archive splitting; see split.h.
 *
 * The file is read through a sliding buffer one line at a time (a line
 * longer than FRAGMENT_MAX comes in pieces), so memory is bounded by the
 * current message plus a few buffers.  A "From " line separates messages
 * only when it matches a strict envelope pattern and a header field
 * follows it: real archives have unescaped "From " lines in bodies, and
 * pipermail puts no blank line before the next separator.
 *
 * Content-Length (mboxcl, mboxcl2) is trusted only when the body it
 * announces ends at the end of the file or at a separator (blank lines in
 * between allowed).  When a separator-like line shows up in the body, the
 * bytes where the length says the body ends are looked at there and then;
 * the bytes since that line are kept in the buffer (pinned), so a wrong
 * length costs a rewind, not a re-read.
 *
 * Reading lines, their ends and telling separators are in split_read.c.
 */
#include <string.h>

#include "larch/stream.h"
#include "split_private.h"

#define DEFAULT_MAX_MESSAGE	((size_t)64 << 20)

/* ---- building messages --------------------------------------------- */

static void
data_reserve(struct larch_split *s, size_t n)
{
	if (n + 1 <= s->data_cap)
		return;
	s->data_cap = MAX(n + 1, s->data_cap * 2);
	s->data = g_realloc(s->data, s->data_cap);
}

/* Appends a line (and an LF when it had a line end), cutting at max. */
static inline void
append(struct larch_split *s, const struct line *l)
{
	size_t add = l->n + (l->eol ? 1 : 0);
	size_t have = MIN(s->vlen, s->max);

	if (s->vlen + add <= s->max) {
		data_reserve(s, s->vlen + add);
		memcpy(s->data + s->vlen, l->p, l->n);
		if (l->eol)
			s->data[s->vlen + l->n] = '\n';
	} else if (have < s->max) {
		data_reserve(s, s->max);
		memcpy(s->data + have, l->p, MIN(l->n, s->max - have));
		if (l->eol && s->max - have > l->n)
			s->data[have + l->n] = '\n';
	}
	s->vlen += add;
	if (l->start && l->n > 5 && l->p[0] == '>') {
		size_t i = 1;

		while (i < l->n && l->p[i] == '>')
			i++;
		if (l->n - i >= 5 && memcmp(l->p + i, "From ", 5) == 0)
			s->escaped = true;
	}
}

/* Removes one '>' from escaped "From " lines: every depth for mboxrd,
 * only ">From " for mboxo.  Returns the new length. */
static size_t
unescape(char *d, size_t n, bool rd)
{
	size_t i = 0, o = 0;

	while (i < n) {
		const char *e = memchr(d + i, '\n', n - i);
		size_t end = e != NULL ? (size_t)(e - d) + 1 : n;
		size_t k = i;

		while (k < end && d[k] == '>')
			k++;
		if (k > i && end - k >= 5 && memcmp(d + k, "From ", 5) == 0 &&
		    (rd || k == i + 1))
			i++;
		memmove(d + o, d + i, end - i);
		o += end - i;
		i = end;
	}
	return o;
}

/* Whether p[0, n) is a "Content-Length:" field; its value goes to *v. */
static bool
content_length(const char *p, size_t n, uint64_t *v)
{
	static const char name[] = "Content-Length:";
	size_t i = sizeof name - 1;

	if (n < i || g_ascii_strncasecmp(p, name, i) != 0)
		return false;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == n || !g_ascii_isdigit(p[i]))
		return false;
	*v = 0;
	for (; i < n && g_ascii_isdigit(p[i]); i++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return false;
		*v = *v * 10 + (uint64_t)(p[i] - '0');
	}
	return true;
}

static enum larch_status
read_failed(struct larch_split *s)
{
	s->failed = LARCH_ERR_IO;
	g_free(s->error);
	s->error = g_strdup(larch_stream_error(s->rd.stream));
	if (s->error[0] == '\0') {
		g_free(s->error);
		s->error = g_strdup_printf("cannot read '%s'", s->path);
	}
	return s->failed;
}


enum cl_state {
	CL_NONE,
	CL_PENDING,		/* before the end Content-Length announces */
	CL_BLANKS,		/* at it, in blank lines */
};

/*
 * Whether the data, cut by a read error (a truncated gzip), ends where a
 * message may end: at a line start, nothing or the start of a "From "
 * line after it, and a blank line before (which mbox writers put after
 * every message; pipermail puts none, so there the whole "From " must
 * be there).  A cut in the middle of a body rarely looks like that, and
 * should one be taken for a message's end, the next run on the whole
 * file finds its last message changed and reads the file again.
 */
static bool
is_cut_at_boundary(struct larch_split *s, bool blank)
{
	struct reader *r = &s->rd;
	size_t n = r->len - r->pos;

	if (!r->failed || !s->at_line_start ||
	    !split_is_from_prefix(r->buf + r->pos, n))
		return false;
	return blank || (n >= 5 && s->format == LARCH_FORMAT_PIPERMAIL);
}

/* Whether pos in the buffer (past the read position) starts a line. */
static bool
is_line_start(const struct larch_split *s, size_t pos)
{
	const char *b = s->rd.buf;

	if (!s->cr)
		return b[pos - 1] == '\n';
	if (b[pos - 1] == '\r')
		return pos == s->rd.len || b[pos] != '\n';
	return b[pos - 1] == '\n' && pos >= 2 && b[pos - 2] == '\r';
}

/*
 * With a separator-like line in the body at the read position (pinned),
 * whether Content-Length is wrong: the bytes where it says the body ends
 * are not a line start followed by blank lines and a separator or the end
 * of the data.  They are looked at directly: reading on line by line to
 * there, and again for each following message whose length is as wrong
 * (lengths left from stripped attachments), made splitting quadratic.
 * Bytes read ahead stay in the buffer for the next messages.  false when
 * it cannot be told (a read error first): reading goes on line by line.
 */
static bool
is_cl_wrong(struct larch_split *s, uint64_t cl_end)
{
	struct reader *r = &s->rd;
	bool cr = s->cr, wrong = false, yes;
	enum larch_status st;
	struct line l;

	g_assert(r->pin == r->pos && cl_end > r->base + r->pos);
	(void)split_fill(r, (size_t)(cl_end - (r->base + r->pos)) + 1);
	if (r->base + r->len < cl_end)
		return !r->failed;
	if (!is_line_start(s, (size_t)(cl_end - r->base)))
		return true;
	r->pos = (size_t)(cl_end - r->base);
	for (;;) {
		st = split_peek_line(s, &l);
		if (st != LARCH_OK || !l.eol || l.n > 0)
			break;
		split_consume(s, &l);
	}
	if (st == LARCH_OK)
		wrong = split_check_separator(s, &l, &yes, false, NULL,
		    NULL) == LARCH_OK && !yes;
	r->pos = r->pin;
	s->at_line_start = true;
	s->cr = cr;
	return wrong;
}

/*
 * Reads one message of an mbox or pipermail file, from its separator to
 * the next one.  Lines go to s->data as they come; vend is where the
 * message's data ends once the end is known.
 */
static enum larch_status
next_mbox(struct larch_split *s, struct larch_split_msg *msg)
{
	struct reader *r = &s->rd;
	enum cl_state cl = CL_NONE;
	enum larch_status st;
	struct line l;
	bool yes, obfuscated, in_headers = true, have_cl = false;
	bool trusted = false, have_cand = false, cut = false, blank = false;
	bool start_guessed, cl_file;
	uint64_t cl_len = 0, cl_end = 0, cand_off = 0, end;
	size_t cl_vlen = 0, cand_vlen = 0, vend, dlen;
	int64_t date = 0;
	/* The state at the last gzip member end inside the message. */
	struct {
		uint64_t off;
		size_t vlen, cl_vlen;
		enum cl_state cl;
		bool have_cand;
	} member = { 0 };

	/* Normally the separator is right here; after a resume that did not
	 * land on one, lines up to the next are not part of any message. */
	for (;;) {
		if (s->at_line_start)
			split_take_line_style(s);
		st = split_peek_line(s, &l);
		if (st == LARCH_DONE)
			return LARCH_DONE;
		if (st == LARCH_OK)
			st = split_check_separator(s, &l, &yes, true, &date,
			    &obfuscated);
		if (st != LARCH_OK)
			return read_failed(s);
		if (yes)
			break;
		split_consume(s, &l);
	}
	msg->offset = l.off;
	msg->envelope_date = date;
	start_guessed = s->sep_guessed;
	split_consume(s, &l);
	s->vlen = 0;
	s->escaped = false;

	for (;;) {
		bool at_member, header, guess;

		st = split_peek_line(s, &l);
		/* The member after the last whole one is damaged, and what
		 * it gave was read as lines of this message: the message
		 * ends where the whole member did, as it would had the
		 * damaged one given nothing.  (Reading goes on from here, to
		 * the error.) */
		at_member = st == LARCH_ERR_IO && split_is_clean_end(s, member.off);
		if (at_member) {
			s->vlen = member.vlen;
			cl = member.cl;
			cl_vlen = member.cl_vlen;
			have_cand = member.have_cand;
		}
		/* Where the data is cut, the end is a guess.  Not for a
		 * message whose own separator was one, nor for one with a
		 * separator in a body that Content-Length may hold: it might
		 * end there or go on past the cut, and a message given out
		 * must be the one the whole file gives, or a part of it
		 * (then the last one). */
		guess = st == LARCH_ERR_IO && !at_member &&
		    !split_is_at_clean_end(s) && !start_guessed && !have_cand &&
		    is_cut_at_boundary(s, blank);
		if (at_member || st == LARCH_DONE || guess ||
		    (st == LARCH_ERR_IO && split_is_at_clean_end(s))) {
			end = at_member ? member.off : r->base + r->pos;
			/* Where a cut is guessed to end the message (a
			 * blank line, then the start of a "From " line) and
			 * Content-Length says the body ends there too, the
			 * length is taken as right: the likelier reading,
			 * though the whole file may show it wrong. */
			if (cl == CL_BLANKS ||
			    (cl == CL_PENDING && end == cl_end)) {
				trusted = true;
				vend = cl == CL_BLANKS ? cl_vlen : s->vlen;
			} else if (cl == CL_PENDING && have_cand) {
				goto rewind;
			} else {
				vend = s->vlen;
				cut = !at_member && !s->at_line_start;
			}
			break;
		}
		if (st != LARCH_OK)
			return read_failed(s);
		if (l.start && l.off == r->member_end && l.off > msg->offset) {
			member.off = l.off;
			member.vlen = s->vlen;
			member.cl = cl;
			member.cl_vlen = cl_vlen;
			member.have_cand = have_cand;
		}

		if (cl == CL_BLANKS || (cl == CL_PENDING && l.off >= cl_end)) {
			bool fail = false;

			if (cl == CL_PENDING && (l.off != cl_end || !l.start)) {
				fail = true;
			} else if (l.eol && l.n == 0) {
				if (cl == CL_PENDING) {
					cl = CL_BLANKS;
					cl_vlen = s->vlen;
				}
			} else {
				st = split_check_separator(s, &l, &yes, false,
				    NULL, NULL);
				if (st != LARCH_OK)
					return read_failed(s);
				/* Cut after it: Content-Length right or not,
				 * the message could be either. */
				if (yes && s->sep_guessed && have_cand)
					return read_failed(s);
				if (yes) {
					trusted = true;
					end = l.off;
					vend = cl == CL_BLANKS ? cl_vlen :
					    s->vlen;
					break;
				}
				fail = true;
			}
			if (fail && have_cand)
				goto rewind;
			if (fail)
				cl = CL_NONE;
		}

		if (l.start && l.p[0] == 'F') {
			st = split_check_separator(s, &l, &yes, false, NULL,
			    NULL);
			if (st != LARCH_OK)
				return read_failed(s);
			if (yes && cl == CL_NONE) {
				end = l.off;
				vend = s->vlen;
				break;
			}
			/* Perhaps body text: Content-Length will tell. */
			if (yes && !have_cand) {
				have_cand = true;
				cand_off = l.off;
				cand_vlen = s->vlen;
				r->pin = r->pos;
				if (cl == CL_PENDING && is_cl_wrong(s, cl_end))
					goto rewind;
			}
		}
		header = in_headers;
		if (in_headers && l.start) {
			if (l.eol && l.n == 0) {
				in_headers = false;
				if (have_cl) {
					cl = CL_PENDING;
					cl_end = l.off + l.raw + cl_len;
				}
			} else if (!have_cl && (l.p[0] | 0x20) == 'c' &&
			    content_length(l.p, l.n, &cl_len)) {
				/* Beyond the size limit it is not worth
				 * keeping the bytes to check it. */
				have_cl = s->format != LARCH_FORMAT_PIPERMAIL &&
				    cl_len <= s->max;
			}
		}
		append(s, &l);
		split_consume(s, &l);
		/* A blank line in the body, not the one ending the header. */
		blank = l.start && l.eol && l.n == 0 && !header;
	}
	r->pin = NO_PIN;
	goto done;

rewind:
	/* Content-Length was wrong: the message ends at the first
	 * separator in its body, and reading goes on from there. */
	r->pos = r->pin;
	r->pin = NO_PIN;
	s->at_line_start = true;
	end = cand_off;
	vend = cand_vlen;

done:
	msg->length = end - msg->offset;
	/* In an mboxcl or mboxcl2 file a message whose length is wrong was
	 * still written by its writer, which left "From " lines as they
	 * were (mboxcl2; larch takes a right length as that too).  The
	 * format says so to RAW, which cuts the body at a Content-Length
	 * only where the length is right. */
	cl_file = trusted || (have_cl && s->content_length);
	msg->format = cl_file ? LARCH_FORMAT_MBOXCL : s->format;
	msg->truncated = vend > s->max || cut;
	/* Past the limit, the limit is why bytes are missing. */
	msg->cut_short = cut && vend <= s->max;
	dlen = MIN(vend, s->max);
	data_reserve(s, dlen);
	if (!trusted) {
		/* The blank line an mbox writer puts after each message. */
		if (vend <= s->max && dlen >= 2 && s->data[dlen - 1] == '\n' &&
		    s->data[dlen - 2] == '\n')
			dlen--;
		if (s->escaped && !cl_file &&
		    s->format != LARCH_FORMAT_PIPERMAIL)
			dlen = unescape(s->data, dlen,
			    s->format == LARCH_FORMAT_MBOXRD);
	}
	s->data[dlen] = '\0';
	msg->data = s->data;
	msg->len = dlen;
	msg->envelope_from = s->from->len > 0 ? s->from->str : NULL;
	s->done = end;
	return LARCH_OK;
}

/* The whole file is one message. */
static enum larch_status
next_file(struct larch_split *s, struct larch_split_msg *msg)
{
	enum larch_status st;
	struct line l;

	if (s->done > 0)
		return LARCH_DONE;
	s->vlen = 0;
	if (s->envelope && split_peek_line(s, &l) == LARCH_OK) {
		split_consume(s, &l);
		msg->envelope_date = s->envelope_date;
		msg->envelope_from = s->from->len > 0 ? s->from->str : NULL;
	}
	while ((st = split_peek_line(s, &l)) == LARCH_OK) {
		append(s, &l);
		split_consume(s, &l);
	}
	if (st != LARCH_DONE)
		return read_failed(s);
	data_reserve(s, MIN(s->vlen, s->max));
	msg->offset = 0;
	msg->length = s->rd.base + s->rd.pos;
	msg->format = s->kind == LARCH_ARCHIVE_PIPERMAIL_HTML ?
	    LARCH_FORMAT_PIPERMAIL_HTML : LARCH_FORMAT_FILE;
	msg->truncated = s->vlen > s->max;
	msg->len = MIN(s->vlen, s->max);
	msg->data = s->data;
	s->data[msg->len] = '\0';
	s->done = msg->length;
	s->finished = true;
	return LARCH_OK;
}

/* ---- the interface ------------------------------------------------- */

enum larch_status
larch_split_open(const char *path, uint64_t start_offset,
    const struct larch_split_opts *opts, struct larch_split **out,
    char **error)
{
	struct larch_split *s;
	enum larch_status st;

	*out = NULL;
	s = g_new0(struct larch_split, 1);
	s->path = g_strdup(path);
	s->max = opts != NULL && opts->max_message > 0 ? opts->max_message :
	    DEFAULT_MAX_MESSAGE;
	s->rd.pin = NO_PIN;
	s->at_line_start = true;
	s->done = start_offset;
	s->from = g_string_new(NULL);
	st = larch_stream_open(path, &s->rd.stream, error);
	if (st != LARCH_OK)
		goto fail;

	split_detect(s);
	if (start_offset > 0 && (s->kind == LARCH_ARCHIVE_MBOX ||
	    s->kind == LARCH_ARCHIVE_PIPERMAIL)) {
		st = larch_stream_seek(s->rd.stream, start_offset);
		if (st != LARCH_OK) {
			if (error != NULL)
				*error = g_strdup(
				    larch_stream_error(s->rd.stream));
			goto fail;
		}
		split_reader_reset(&s->rd, start_offset);
		s->at_line_start = true;
	}
	*out = s;
	return LARCH_OK;

fail:
	larch_split_close(s);
	return st;
}

void
larch_split_close(struct larch_split *s)
{
	if (s == NULL)
		return;
	larch_stream_close(s->rd.stream);
	g_free(s->rd.buf);
	g_free(s->data);
	g_string_free(s->from, TRUE);
	g_free(s->error);
	g_free(s->path);
	g_free(s);
}

uint64_t
larch_split_lead(const struct larch_split *s)
{
	return s->lead;
}

enum larch_archive_kind
larch_split_kind(const struct larch_split *s)
{
	return s->kind;
}

uint64_t
larch_split_head(const struct larch_split *s, char out[17])
{
	g_strlcpy(out, s->head, 17);
	return s->head_len;
}

bool
larch_split_is_gzip(const struct larch_split *s)
{
	return larch_stream_is_gzip(s->rd.stream);
}

const char *
larch_archive_kind_name(enum larch_archive_kind kind)
{
	switch (kind) {
	case LARCH_ARCHIVE_MBOX:
		return "mbox";
	case LARCH_ARCHIVE_PIPERMAIL:
		return "pipermail";
	case LARCH_ARCHIVE_MESSAGE:
		return "message";
	case LARCH_ARCHIVE_PIPERMAIL_HTML:
		return "pipermail-html";
	case LARCH_ARCHIVE_UNKNOWN:
		break;
	}
	return "unknown";
}

enum larch_status
larch_split_next(struct larch_split *s, struct larch_split_msg *msg)
{
	enum larch_status st;

	memset(msg, 0, sizeof *msg);
	if (s->failed != LARCH_OK)
		return s->failed;
	if (s->finished)
		return LARCH_DONE;
	/* Do not keep a huge message's buffer for the rest of the file. */
	if (s->data_cap > ((size_t)16 << 20)) {
		g_free(s->data);
		s->data = NULL;
		s->data_cap = 0;
	}
	switch (s->kind) {
	case LARCH_ARCHIVE_MBOX:
	case LARCH_ARCHIVE_PIPERMAIL:
		st = next_mbox(s, msg);
		break;
	case LARCH_ARCHIVE_MESSAGE:
	case LARCH_ARCHIVE_PIPERMAIL_HTML:
		st = next_file(s, msg);
		break;
	default:
		st = LARCH_DONE;
		break;
	}
	if (st == LARCH_DONE)
		s->finished = true;
	if (st != LARCH_OK)
		memset(msg, 0, sizeof *msg);
	return st;
}

const char *
larch_split_error(const struct larch_split *s)
{
	return s->error != NULL ? s->error : "";
}

uint64_t
larch_split_offset(const struct larch_split *s)
{
	return s->done;
}
