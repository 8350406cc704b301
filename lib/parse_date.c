/*
 * Dates for the message parser: Date and Received headers as GMime reads
 * them, mended where real mail writes them otherwise, and the range of
 * dates believed.
 */
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "larch/pattern.h"
#include "parse_private.h"

#define MIN_DATE 157766400	/* 1975-01-01: earlier dates are wrong */
#define MAX_FUTURE (2 * 86400)	/* how far ahead of now a date may be */

/*
 * GMime reads "06:09:22 PM" as 06:09:22: the seconds to add for a
 * 12-hour clock's mark after the time ("Wed 29 May 2019 06:09:22 PM
 * EDT", as some clients write), 0 when there is none.
 */
static int64_t
twelve_hour_shift(const char *value)
{
	static gsize once;
	static struct larch_pattern *re;
	struct larch_match m;
	size_t len = strlen(value);
	/* Padded with zeros: pcre2's JIT may read a little past the end,
	 * which valgrind would report (as quote_rules.c pads). */
	char *padded = g_malloc0(len + 64);
	int64_t shift = 0;
	int h;

	if (g_once_init_enter(&once)) {
		if (larch_pattern_new("\\b(\\d{1,2}):\\d\\d(?::\\d\\d)?\\s*"
		    "([AP])\\.?M\\.?(?!\\w)", LARCH_PATTERN_CASELESS, &re,
		    NULL) != LARCH_OK)
			g_error("12-hour time pattern");
		g_once_init_leave(&once, 1);
	}
	memcpy(padded, value, len);
	if (larch_pattern_find(re, padded, len, 0, &m)) {
		h = atoi(padded + m.start[1]);
		if (g_ascii_toupper(padded[m.start[2]]) == 'P')
			shift = h >= 1 && h < 12 ? 12 * 3600 : 0;
		else
			shift = h == 12 ? -12 * 3600 : 0;
	}
	g_free(padded);
	return shift;
}

int64_t
larch_header_date(const char *raw)
{
	char *value;
	GDateTime *dt;
	int64_t t = 0;

	if (raw == NULL)
		return 0;
	value = larch_header_unfold(raw);
	/* GMime's parser wants ASCII; anything else is no date anyway. */
	for (char *p = value; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			*p = ' ';
	dt = g_mime_utils_header_decode_date(value);
	if (dt != NULL) {
		t = g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	if (t != 0)
		t += twelve_hour_shift(value);
	g_free(value);
	return t;
}

bool
larch_date_is_sane(int64_t t)
{
	return t >= MIN_DATE && t <= g_get_real_time() / G_USEC_PER_SEC +
	    MAX_FUTURE;
}

/* The date of the last Received header (the first relay), or 0. */
int64_t
larch_received_date(GMimeObject *obj)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = list != NULL ? g_mime_header_list_get_count(list) : 0;
	const char *last = NULL, *semi;

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);

		if (g_ascii_strcasecmp(g_mime_header_get_name(h),
		    "Received") == 0 && g_mime_header_get_raw_value(h) != NULL)
			last = g_mime_header_get_raw_value(h);
	}
	if (last == NULL || (semi = strrchr(last, ';')) == NULL)
		return 0;
	return larch_header_date(semi + 1);
}
