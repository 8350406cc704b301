/*
 * Dates for the message parser: Date and Received headers as GMime reads
 * them, mended where real mail writes them otherwise, and the range of
 * dates believed.
 */
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

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
	static GRegex *re;
	GMatchInfo *m = NULL;
	int64_t shift = 0;

	if (g_once_init_enter(&re))
		g_once_init_leave(&re, g_regex_new("\\b(\\d{1,2}):\\d\\d"
		    "(?::\\d\\d)?\\s*([AaPp])\\.?[Mm]\\.?(?!\\w)",
		    0, 0, NULL));
	if (re != NULL && g_regex_match(re, value, 0, &m)) {
		char *hour = g_match_info_fetch(m, 1);
		char *mark = g_match_info_fetch(m, 2);
		int h = atoi(hour);

		if ((mark[0] == 'P' || mark[0] == 'p') && h >= 1 && h < 12)
			shift = 12 * 3600;
		else if ((mark[0] == 'A' || mark[0] == 'a') && h == 12)
			shift = -12 * 3600;
		g_free(hour);
		g_free(mark);
	}
	g_match_info_free(m);
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
