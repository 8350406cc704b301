/*
 * A message's record as one line of JSON, written; see
 * include/larch/record.h.  Also the record's dates, both ways.
 *
 * The writer emits every key, in the order the header lists them, with
 * null for missing values.  Reading a record back is record_read.c's.
 */
#include <string.h>

#include "larch/json_out.h"
#include "larch/record.h"
#include "record_private.h"

#define SECS_PER_DAY 86400

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm): exact for every int64_t time, unlike gmtime on 32-bit
 * years, and free of locale and time zone state. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Writes v as exactly n decimal digits ending just before end. */
static void
put_digits(char *end, uint64_t v, int n)
{
	while (n-- > 0) {
		*--end = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * By hand, not with printf: a search answer writes one date per row,
 * and g_strdup_printf() was a quarter of rendering a page of rows.
 */
size_t
larch_iso8601_format(int64_t t, char buf[LARCH_ISO8601_MAX])
{
	int64_t days = t / SECS_PER_DAY, secs = t % SECS_PER_DAY, y;
	uint64_t year;
	unsigned m, d;
	char *p = buf;
	int ny = 0;

	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0)
		*p++ = '-';
	year = y < 0 ? -(uint64_t)y : (uint64_t)y;
	/* At least four digits, as many as the year needs. */
	for (uint64_t v = year; v > 0; v /= 10)
		ny++;
	ny = MAX(ny, 4);
	p += ny;
	put_digits(p, year, ny);
	memcpy(p, "-00-00T00:00:00Z", sizeof "-00-00T00:00:00Z");
	put_digits(p + 3, m, 2);
	put_digits(p + 6, d, 2);
	put_digits(p + 9, (uint64_t)(secs / 3600), 2);
	put_digits(p + 12, (uint64_t)(secs / 60 % 60), 2);
	put_digits(p + 15, (uint64_t)(secs % 60), 2);
	return (size_t)(p + 16 - buf);
}

char *
larch_iso8601(int64_t t)
{
	char buf[LARCH_ISO8601_MAX];

	return g_strndup(buf, larch_iso8601_format(t, buf));
}

/* Reads n decimal digits at *p into *v and advances *p. */
static bool
digits(const char **p, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!g_ascii_isdigit((*p)[i]))
			return false;
		*v = *v * 10 + (unsigned)((*p)[i] - '0');
	}
	*p += n;
	return true;
}

bool
larch_iso8601_parse(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	int64_t year = 0, days, secs, t;
	unsigned mon, day, hh, mm, ss, dim;
	int ny = 0;
	static const unsigned mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (*p == '-') {
		neg = true;
		p++;
	}
	/* 12 digits reach past what an int64_t of seconds can hold. */
	while (g_ascii_isdigit(*p) && ny < 12) {
		year = year * 10 + (*p++ - '0');
		ny++;
	}
	if (ny < 4 || *p++ != '-' || !digits(&p, 2, &mon) || *p++ != '-' ||
	    !digits(&p, 2, &day) || *p++ != 'T' || !digits(&p, 2, &hh) ||
	    *p++ != ':' || !digits(&p, 2, &mm) || *p++ != ':' ||
	    !digits(&p, 2, &ss) || *p++ != 'Z' || *p != '\0')
		return false;
	if (neg)
		year = -year;
	if (mon < 1 || mon > 12 || hh > 23 || mm > 59 || ss > 59)
		return false;
	dim = mdays[mon - 1];
	if (mon == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		dim = 29;
	if (day < 1 || day > dim)
		return false;
	days = days_from_civil(year, mon, day);
	secs = (int64_t)(hh * 3600 + mm * 60 + ss);
	/* Before 1970 count from the end of the day, so that the earliest
	 * time larch_iso8601() can write does not overflow on the way. */
	if (days < 0) {
		days++;
		secs -= SECS_PER_DAY;
	}
	if (__builtin_mul_overflow(days, (int64_t)SECS_PER_DAY, &t) ||
	    __builtin_add_overflow(t, secs, &t))
		return false;
	*out = t;
	return true;
}

/*
 * Adds "name": value ("name" NULL: an array element).  A member's ""
 * is written as null, as get_str() reads it back: the model has no empty
 * strings (msg.h), but the quote splitter gives "" for no new text, and
 * a record must read back the way it was written.  U+001F becomes a
 * space: json-glib 1.6 (Debian 12), which wrote records before, wrote it
 * unescaped, which JSON forbids, so records have never held it, and a
 * message must give the same record whichever writer made it.
 */
static void
add_str(GString *j, const char *name, const char *value)
{
	char *fixed = NULL;

	if (name != NULL && value != NULL && value[0] == '\0')
		value = NULL;
	if (value != NULL && strchr(value, '\x1f') != NULL) {
		value = fixed = g_strdup(value);
		g_strdelimit(fixed, "\x1f", ' ');
	}
	larch_json_str(j, name, value);
	g_free(fixed);
}

char *
larch_record_to_json(const struct larch_msg *msg)
{
	/* Most records are a few kilobytes: the text and its quotes. */
	GString *j = g_string_sized_new(4096);

	larch_json_open(j);
	add_str(j, "mid", msg->mid);
	add_str(j, "header_mid", msg->header_mid);
	add_str(j, "list", msg->list);
	larch_json_array_open(j, "lists");
	if (msg->list != NULL)
		add_str(j, NULL, msg->list);
	for (guint i = 0; i < msg->also_lists->len; i++)
		add_str(j, NULL, msg->also_lists->pdata[i]);
	larch_json_array_close(j);
	add_str(j, "list_id", msg->list_id);
	/* 0 is no date: null, as larchd's JSON answers say. */
	larch_json_date(j, "date", msg->date);
	add_str(j, "from", msg->from_addr);
	add_str(j, "from_name", msg->from_name);
	add_str(j, "subject", msg->subject);
	add_str(j, "to", msg->to);
	add_str(j, "cc", msg->cc);
	add_str(j, "in_reply_to", msg->in_reply_to);

	larch_json_array_open(j, "references");
	for (guint i = 0; i < msg->references->len; i++) {
		const char *ref = msg->references->pdata[i];

		if (ref != NULL)
			add_str(j, NULL, ref);
	}
	larch_json_array_close(j);

	larch_json_array_open(j, "attachments");
	for (guint i = 0; i < msg->attachments->len; i++) {
		const struct larch_attachment *a = msg->attachments->pdata[i];

		larch_json_open(j);
		add_str(j, "filename", a->filename);
		add_str(j, "content_type", a->content_type);
		larch_json_int(j, "size",
		    (int64_t)MIN(a->size, (uint64_t)G_MAXINT64));
		larch_json_close(j);
	}
	larch_json_array_close(j);

	larch_json_array_open(j, "sources");
	for (guint i = 0; i < msg->sources->len; i++) {
		const struct larch_source *s = msg->sources->pdata[i];
		char *file = larch_path_to_utf8(s->file);

		larch_json_open(j);
		add_str(j, "file", file);
		g_free(file);
		larch_json_int(j, "offset",
		    (int64_t)MIN(s->offset, (uint64_t)G_MAXINT64));
		larch_json_int(j, "length",
		    (int64_t)MIN(s->length, (uint64_t)G_MAXINT64));
		add_str(j, "format", larch_source_format_name(s->format));
		larch_json_close(j);
	}
	larch_json_array_close(j);

	larch_json_array_open(j, "articles");
	for (guint i = 0; i < msg->articles->len; i++) {
		const struct larch_article *a = msg->articles->pdata[i];

		larch_json_open(j);
		add_str(j, "list", a->list);
		add_str(j, "month", a->month);
		larch_json_int(j, "number", a->number);
		larch_json_close(j);
	}
	larch_json_array_close(j);

	add_str(j, "thread", msg->thread);
	add_str(j, "parent", msg->parent);
	larch_json_int(j, "depth", msg->depth);
	larch_json_bool(j, "inferred_parent", msg->inferred_parent);
	larch_json_bool(j, "from_is_list", msg->from_is_list);
	add_str(j, "new_text", msg->new_text);
	add_str(j, "summary", msg->summary);
	larch_json_array_open(j, "quotes");
	for (guint i = 0; i < msg->quotes->len; i++) {
		const struct larch_quote *q = msg->quotes->pdata[i];

		larch_json_open(j);
		add_str(j, "text", q->text);
		add_str(j, "source", q->source);
		larch_json_int(j, "depth", q->depth);
		add_str(j, "attribution", q->attribution);
		larch_json_close(j);
	}
	larch_json_array_close(j);
	add_str(j, "signature", msg->signature);
	add_str(j, "footer", msg->footer);

	add_str(j, "text_hash", msg->text_hash[0] ? msg->text_hash : NULL);
	add_str(j, "ascii_hash", msg->ascii_hash[0] ? msg->ascii_hash : NULL);
	larch_json_int(j, "ascii_len", msg->ascii_len);
	add_str(j, "shape_hash", msg->shape_hash[0] ? msg->shape_hash : NULL);
	add_str(j, "byte_shape_hash", msg->byte_shape_hash[0] ?
	    msg->byte_shape_hash : NULL);
	larch_json_int(j, "shape_len", msg->shape_len);
	larch_json_close(j);
	return g_string_free(j, FALSE);
}
