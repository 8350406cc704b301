/*
 * Envelope lines; see envelope.h.
 *
 * Only lines of the strict form count: real archives have unescaped
 * "From " lines in bodies, so a loose test would split messages apart.
 */
#include <string.h>

#include "larch/pattern.h"
#include "larch/article.h"
#include "envelope.h"
#include "walk.h"

#define SEPARATOR_MAX		1024	/* longer "From " lines never are */

/* ---- envelope lines ------------------------------------------------ */

/* Group 1: the address (pipermail writes "user at host"; a quoted local
 * part may hold spaces: "a b"@host); group 2: an
 * asctime() date, zone and year in either order; group 3: an RFC 822 date
 * (the pre-2.1 pipermail form).  Old Unix mailers wrote a zone of two
 * words before the year ("Wed Aug  2 00:39:12 MET DST 1995") and some a
 * year of two digits ("Fri Sep 12 19:57:26 97"); mutt reads both. */
#define DAY	"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
#define MON	"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
#define ZONE	"(?:[A-Z]{1,5}|[+-]\\d{4})"
#define TIME	"\\d{1,2}:\\d\\d(?::\\d\\d)?"
static const char separator_re[] =
	"^From[ ]((?:\"[^\"]*\"\\S*|\\S*)(?:[ ]at[ ]\\S+)?)[ \\t]+"
	"(?:(" DAY "[ ]+" MON "[ ]+\\d{1,2}[ ]+" TIME
	"(?:[ ]+" ZONE "(?:[ ]+[A-Z]{1,5})?)?[ ]+(?:\\d{4}|\\d\\d)"
	"(?:[ ]+" ZONE ")?)"
	"|((?:" DAY ",?[ ]+)?\\d{1,2}[ ]+" MON "[ ]+\\d{2,4}[ ]+" TIME
	"(?:[ ]+" ZONE ")?(?:[ ]+\\([^)]*\\))?))"
	"(?:[ ]+remote[ ]from[ ]\\S+)?[ \\t]*$";

static struct larch_pattern *
separator_pattern(void)
{
	static gsize once;
	static struct larch_pattern *pattern;

	if (g_once_init_enter(&once)) {
		char *err = NULL;

		if (larch_pattern_new(separator_re, 0, &pattern, &err) !=
		    LARCH_OK)
			g_error("separator pattern: %s", err);
		g_once_init_leave(&once, 1);
	}
	return pattern;
}

static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr",
	"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static int
month_index(const char *p, size_t n)
{
	for (int i = 0; i < 12; i++)
		if (n == 3 && memcmp(p, month_names[i], 3) == 0)
			return i + 1;
	return 0;
}

/* The number p[0, n) starts with (at most 9 digits); *used says how
 * many bytes it took. */
static int64_t
digits(const char *p, size_t n, size_t *used)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; i < n && i < 9 && g_ascii_isdigit(p[i]); i++)
		v = v * 10 + (p[i] - '0');
	if (used != NULL)
		*used = i;
	return v;
}

/* Offset east of UTC in seconds for a zone token; 0 if unknown. */
static int
zone_offset(const char *p, size_t n)
{
	static const struct {
		const char *name;
		int hours;
	} zones[] = { { "EST", -5 }, { "EDT", -4 }, { "CST", -6 },
		{ "CDT", -5 }, { "MST", -7 }, { "MDT", -6 }, { "PST", -8 },
		{ "PDT", -7 }, { "MET", 1 }, { "CET", 1 }, { "MEST", 2 },
		{ "CEST", 2 }, { "EET", 2 }, { "EEST", 3 }, { "BST", 1 },
		{ "JST", 9 } };

	if (n == 5 && (p[0] == '+' || p[0] == '-')) {
		int v = (int)digits(p + 1, 4, NULL);
		int secs = (v / 100) * 3600 + (v % 100) * 60;

		return p[0] == '-' ? -secs : secs;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(zones); i++)
		if (strlen(zones[i].name) == n &&
		    memcmp(p, zones[i].name, n) == 0)
			return zones[i].hours * 3600;
	return 0;
}

/*
 * Seconds since the epoch of the date the separator pattern matched:
 * asctime (UTC unless a zone is given) or RFC 822.  0 when it makes no
 * sense.
 */
/* Seconds since the epoch of a UTC date; GLib knows the calendar (a day
 * that does not exist, like 31 April, gives 0). */
static int64_t
civil_to_unix(int year, int mon, int mday, int hh, int mm, int ss)
{
	GDateTime *dt = g_date_time_new_utc(year, mon, mday, hh, mm,
	    ss > 59 ? 59 : ss);
	int64_t t;

	if (dt == NULL)
		return 0;
	t = g_date_time_to_unix(dt);
	g_date_time_unref(dt);
	return t;
}

static int64_t
parse_date(const char *p, size_t n, bool asctime)
{
	const char *tok[8];
	size_t len[8];
	int ntok = 0, i = 0, mon = 0, mday = 0, hh = 0, mm = 0, ss = 0;
	int64_t year = -1;
	int zone = 0;
	size_t used, k;

	for (k = 0; k < n && ntok < 8;) {
		while (k < n && (p[k] == ' ' || p[k] == ',' || p[k] == '\t'))
			k++;
		if (k == n)
			break;
		tok[ntok] = p + k;
		while (k < n && p[k] != ' ' && p[k] != ',' && p[k] != '\t')
			k++;
		len[ntok] = (size_t)(p + k - tok[ntok]);
		ntok++;
	}
	if (ntok > 0 && g_ascii_isalpha(tok[0][0]) &&
	    month_index(tok[0], len[0]) == 0)
		i++;			/* the weekday */
	if (asctime) {
		if (ntok < i + 4)
			return 0;
		mon = month_index(tok[i], len[i]);
		mday = (int)digits(tok[i + 1], len[i + 1], NULL);
		i += 2;
	} else {
		if (ntok < i + 4)
			return 0;
		mday = (int)digits(tok[i], len[i], NULL);
		mon = month_index(tok[i + 1], len[i + 1]);
		year = digits(tok[i + 2], len[i + 2], NULL);
		if (len[i + 2] <= 2)
			year += year < 50 ? 2000 : 1900;
		i += 3;
	}
	/* H:MM or H:MM:SS */
	hh = (int)digits(tok[i], len[i], &used);
	if (used == 0 || used + 1 >= len[i] || tok[i][used] != ':')
		return 0;
	k = used + 1;
	mm = (int)digits(tok[i] + k, len[i] - k, &used);
	k += used;
	if (k < len[i] && tok[i][k] == ':')
		ss = (int)digits(tok[i] + k + 1, len[i] - k - 1, NULL);
	for (i++; i < ntok; i++) {
		if (tok[i][0] == '(')
			break;
		if (asctime && year < 0 && g_ascii_isdigit(tok[i][0])) {
			year = digits(tok[i], len[i], NULL);
			if (len[i] <= 2)
				year += year < 50 ? 2000 : 1900;
		} else if (len[i] == 3 && memcmp(tok[i], "DST", 3) == 0) {
			/* The second word of "MET DST": summer time. */
			zone += 3600;
		} else {
			zone = zone_offset(tok[i], len[i]);
		}
	}
	if (mon == 0 || mday < 1 || mday > 31 || hh > 23 || mm > 59 ||
	    ss > 60 || year < 1970 || year > 9999)
		return 0;
	return civil_to_unix(year, mon, mday, hh, mm, ss) - zone;
}

/* Puts the address a[0, alen) into from with pipermail's "user at host"
 * turned back into "user@host"; "-" (no sender) leaves from empty.
 * Returns whether the address was written that way. */
static bool
unobfuscate(GString *from, const char *a, size_t alen)
{
	const char *at = g_strstr_len(a, (gssize)alen, " at ");

	g_string_truncate(from, 0);
	if (at != NULL) {
		g_string_append_len(from, a, at - a);
		g_string_append_c(from, '@');
		g_string_append_len(from, at + 4, a + alen - (at + 4));
	} else if (!(alen == 1 && a[0] == '-')) {
		g_string_append_len(from, a, (gssize)alen);
	}
	return at != NULL;
}

bool
larch_envelope_match(const char *line, size_t n, GString *from,
    int64_t *date, bool *obfuscated)
{
	struct larch_match m;

	if (n < 5 || n > SEPARATOR_MAX || memcmp(line, "From ", 5) != 0)
		return false;
	if (!larch_pattern_matches_at(separator_pattern(), line, n, 0, &m))
		return false;
	if (from != NULL) {
		*obfuscated = unobfuscate(from, line + m.start[1],
		    (size_t)(m.end[1] - m.start[1]));
		if (m.start[2] >= 0)
			*date = parse_date(line + m.start[2],
			    (size_t)(m.end[2] - m.start[2]), true);
		else
			*date = parse_date(line + m.start[3],
			    (size_t)(m.end[3] - m.start[3]), false);
	}
	return true;
}

/* ---- archive names ------------------------------------------------- */

/* Whether the name says the file holds one message: .eml, or a file in a
 * Maildir's cur/ or new/; an mbox kept in a folder that is merely named
 * new is no Maildir message. */
bool
larch_envelope_is_message_name(const char *path)
{
	if (larch_walk_has_suffix(path, ".eml") ||
	    larch_walk_has_suffix(path, ".eml.gz"))
		return true;
	return larch_walk_in_maildir(path, NULL);
}

/* Whether the file name is a Mailman 2 archive volume's: the list's
 * archive_volume_frequency makes it 2016-May (monthly, the default),
 * 2016 (yearly), 2016q2 (quarterly), Week-of-Mon-20160502 (weekly) or
 * 20160502 (daily), then .txt or .txt.gz. */
bool
larch_envelope_is_pipermail_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;
	char *volume;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (g_str_has_suffix(base, ".txt.gz"))
		n -= strlen(".txt.gz");
	else if (g_str_has_suffix(base, ".txt"))
		n -= strlen(".txt");
	else
		return false;
	volume = larch_article_volume(base, n);
	g_free(volume);
	return volume != NULL;
}
