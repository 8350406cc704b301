/*
 * Whether an attribution names who wrote, where a mail client puts the
 * name: what keeps prose that happens to end like an attribution ("At the
 * 14:00 session the rapporteur wrote:") in the author's text when no
 * quote follows it (quote_attr.c).
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

/* The most words a name in an attribution has ("Ursula von der Leyen via
 * List" counts up to "via"). */
#define MAX_NAME_WORDS 6

/* Verbs that end an attribution, after the name ("..., Ann wrote:"). */
static const char *const name_verbs[] = {
	"wrote", "writes", "said", "says", "a écrit", "a ecrit", "a ?crit",
	"escribió", "escribio", "escribe", "ha scritto", "scrive",
	"escreveu", "schreibt", "napisał(a)", "napisała", "napisał", "pisze",
	"napsal(a)", "napsala", "napsal", "napísal(a)", "napísala", "napísal",
	"пишет", "писал(а)", "писала", "писал", "написал(а)", "написала",
	"написал", "het volgende geschreven", NULL
};

/* The same in scripts that write them glued to the name ("Ann 写道："). */
static const char *const name_verbs_glued[] = {
	"写道", "寫道", "さんは書きました", "書きました", "のメール", NULL
};

/* Verbs with the date after them ("Ann <a@example.org> schrieb am Do.,
 * 26. Mai 2016, 19:05:"): the name is before them. */
static const char *const name_verbs_dated[] = {
	" schrieb am ", " wrote on ", " a écrit le ", " escribió el ",
	" escreveu no dia ", " 于", " 於", NULL
};

/* Verbs the name follows ("Am ... schrieb Ann:", "Op ... schreef Ann:"). */
static const char *const name_verbs_first[] = {
	" schrieb ", " schreef ", NULL
};

/* Words right before a name ("Am ... schrieb Ann <a@example.org>:",
 * "... пользователь Ann <a@example.org> написал:"). */
static const char *const name_openers[] = {
	"schrieb", "schreef", "heeft", "пользователь", "بواسطة", "كتب", NULL
};

/* Lower-case words names hold ("Ursula von der Leyen"). */
static const char *const name_particles[] = {
	"von", "van", "der", "den", "de", "del", "della", "di", "da", "du",
	"dos", "das", "le", "la", "ten", "ter", "zu", "y", "bin", "al", NULL
};

/* Words of prose that names do not hold ("the rapporteur", "to the
 * secretariat"); articles that names hold ("de la") are particles. */
static const char *const prose_words[] = {
	"the", "a", "an", "this", "that", "our", "my", "your", "his", "her",
	"their", "to", "for", "from", "with", "by", "at", "in", "on", "of",
	"and", "or", "die", "les", "el", "los", "las", "il",
	"lo", "un", "une", "des", "et", "und", "as", "when", "then", "so",
	"but", "if", "what", "who", "which", "also", "just", "is", "was",
	"has", "had", "we", "I", "you", "he", "she", "they", "it", "not",
	NULL
};

/* Whether the len bytes at s are one of words. */
static bool
is_word_of(const char *s, size_t len, const char *const *words)
{
	for (const char *const *w = words; *w != NULL; w++)
		if (strlen(*w) == len && memcmp(s, *w, len) == 0)
			return true;
	return false;
}

/* Where text[0..len) ends with one of words, or SIZE_MAX; blank says the
 * word must follow a blank (or the start). */
static size_t
ends_with_word(const char *s, size_t len, const char *const *words,
    bool blank)
{
	for (const char *const *w = words; *w != NULL; w++) {
		size_t n = strlen(*w);

		if (n <= len && memcmp(s + len - n, *w, n) == 0 &&
		    (!blank || n == len || g_ascii_isspace(s[len - n - 1])))
			return len - n;
	}
	return SIZE_MAX;
}

/* Whether c ends a clause before a name ("19:05, Ann", "19:05，Ann"). */
static bool
is_name_comma(gunichar c)
{
	return c == ',' || c == ';' || c == 0xFF0C || c == 0x3001 ||
	    c == 0xFF1B;
}

/* Whether s[0..*end) ends with an address ("<a@example.org>", Gmane's
 * "<a <at> example.org>", "(a@example.org)", "(<a@example.org>)"); if so,
 * *end moves before it. */
static bool
strip_address(const char *s, size_t *end)
{
	size_t e = *end, depth = 0;
	char close = e > 0 ? s[e - 1] : 0, open;

	if (close != '>' && close != ')')
		return false;
	open = close == '>' ? '<' : '(';
	while (e > 0) {
		e--;
		if (s[e] == close)
			depth++;
		else if (s[e] == open && --depth == 0)
			break;
	}
	if (depth != 0 || (memchr(s + e, '@', *end - e) == NULL &&
	    g_strstr_len(s + e, (gssize)(*end - e), " at ") == NULL))
		return false;
	*end = e;
	return true;
}

/* s[0..*end) without the list a name was sent through ("Ann via
 * samba-technical"), as Gmail and Mailman write it. */
static void
cut_via(const char *s, size_t *end)
{
	for (size_t via = *end; via >= 5; via--)
		if (memcmp(s + via - 5, " via ", 5) == 0) {
			*end = via - 5;
			return;
		}
}

/* How a word of a name reads: 2 a name's (capitalised, in a script
 * without case, an address, a lost letter), 1 a particle ("von"), 0 a
 * lower-case word. */
static int
name_word_kind(const char *w, size_t n, bool lossy)
{
	gunichar c;

	while (n > 0 && strchr("\"'(", *w) != NULL)
		w++, n--;
	if (n == 0)
		return 0;
	if (memchr(w, '@', n) != NULL || (lossy && *w == '?'))
		return 2;
	if (is_word_of(w, n, name_particles))
		return 1;
	if (n == 1 && *w == 'I')
		return 0;
	c = g_utf8_get_char(w);
	if (g_unichar_isupper(c) || g_unichar_istitle(c) ||
	    (g_unichar_isalpha(c) && !g_unichar_islower(c)))
		return 2;
	return 0;
}

/* Whether the n bytes at w hold a digit, as a date or a time does. */
static bool
has_digit(const char *w, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (g_ascii_isdigit(w[k]))
			return true;
	return false;
}

/*
 * Whether s[0..end) ends with a name, as attributions put it before their
 * verb or after their date ("..., Ann Smith <a@example.org>", "19:05
 * Ann"): up to MAX_NAME_WORDS words back to the start, a comma, a date or
 * time, or a word that introduces the name ("schrieb"), one of them
 * capitalised (or in a script without case, or an address), none a word
 * of prose ("the rapporteur", "to the secretariat").  A name all in lower
 * case ("jdoe") is one or two words after a comma or at the start.  An
 * address alone is a name.  "Ann via List" is Ann's.
 */
bool
larch_quote_names_before(const char *s, size_t end, bool lossy,
    size_t *from)
{
	size_t words = 0, names = 0, lower = 0;
	bool addr, prose = false, hard = false;
	const char *p;

	end = larch_quote_trim_end(s, end);
	addr = strip_address(s, &end);
	end = larch_quote_trim_end(s, end);
	if (end > 0 && (s[end - 1] == '"' || s[end - 1] == '\'')) {
		p = memchr(s, s[end - 1], end - 1);
		if (from != NULL && p != NULL)
			*from = (size_t)(p - s);
		return p != NULL && (size_t)(s + end - 1 - p) > 1;
	}
	cut_via(s, &end);
	while (end > 0) {
		size_t ws;
		int kind;

		end = larch_quote_trim_end(s, end);
		if (end == 0)
			break;
		p = g_utf8_find_prev_char(s, s + end);
		if (is_name_comma(g_utf8_get_char(p)))
			break;
		ws = end;
		while (ws > 0) {
			gunichar c;

			p = g_utf8_find_prev_char(s, s + ws);
			c = g_utf8_get_char(p);
			if (larch_quote_is_blank(c) || is_name_comma(c))
				break;
			ws = (size_t)(p - s);
		}
		if (has_digit(s + ws, end - ws)) {
			hard = true;
			break;
		}
		if (is_word_of(s + ws, end - ws, name_openers))
			break;
		if (++words > MAX_NAME_WORDS)
			return false;
		kind = name_word_kind(s + ws, end - ws, lossy);
		names += kind == 2;
		lower += kind == 0;
		prose = prose || (kind == 0 &&
		    is_word_of(s + ws, end - ws, prose_words));
		end = ws;
	}
	if (from != NULL)
		*from = end;
	if (words == 0)
		return addr;
	if (prose)
		return false;
	if (names > 0)
		return true;
	return lower > 0 && words <= 2 && !hard;
}

/* Whether s[start..end) is a name alone, as after "schrieb" ("Am ...
 * schrieb Ann Smith <a@example.org>:"). */
static bool
names_after(const char *s, size_t start, size_t end, bool lossy)
{
	size_t words = 0, names = 0;
	bool addr;

	end = larch_quote_trim_end(s, end);
	addr = strip_address(s, &end);
	end = larch_quote_trim_end(s, end);
	cut_via(s, &end);
	while (start < end) {
		size_t we;
		int kind;

		while (start < end &&
		    larch_quote_is_blank(g_utf8_get_char(s + start)))
			start = (size_t)(g_utf8_next_char(s + start) - s);
		if (start >= end)
			break;
		for (we = start; we < end &&
		    !larch_quote_is_blank(g_utf8_get_char(s + we));
		    we = (size_t)(g_utf8_next_char(s + we) - s))
			;
		if (has_digit(s + start, we - start) || ++words >
		    MAX_NAME_WORDS || memchr(s + start, ',', we - start))
			return false;
		kind = name_word_kind(s + start, we - start, lossy);
		if (kind == 0)
			return false;
		names += kind == 2;
		start = we;
	}
	return words == 0 ? addr : names > 0;
}

/*
 * Whether the attribution text s (len bytes, its colon dropped) names
 * who wrote, in the place a mail client puts the name: before the verb
 * ("..., Ann wrote:"), before the date ("Ann <a@example.org> schrieb am
 * ...:", mutt's "Ann [2016-05-26]:"), as the address at the end ("19:05,
 * Ann <a@example.org>:"), or after "schrieb" ("Am ... schrieb Ann:").
 * "At the 14:00 session the rapporteur wrote:" and "Draft agenda for the
 * call [26.05.2016 15:00 UTC]:" name no one.  In text archived lossily
 * the verb may be lost whole ("?????").
 */
char *
larch_quote_turned_name(const char *name)
{
	const char *comma = strchr(name, ',');
	char *first, *last, *res;

	if (comma == NULL || strchr(comma + 1, ',') != NULL)
		return g_strstrip(g_strdup(name));
	first = g_strstrip(g_strdup(comma + 1));
	last = g_strstrip(g_strndup(name, (size_t)(comma - name)));
	res = first[0] != '\0' && last[0] != '\0' ?
	    g_strconcat(first, " ", last, NULL) : g_strstrip(g_strdup(name));
	g_free(first);
	g_free(last);
	return res;
}

bool
larch_quote_names_author(const char *s, size_t len, bool lossy)
{
	size_t v;
	const char *p;

	v = ends_with_word(s, len, name_verbs, true);
	if (v == SIZE_MAX)
		v = ends_with_word(s, len, name_verbs_glued, false);
	if (v == SIZE_MAX && lossy) {
		for (v = len; v > 0 && !g_ascii_isspace(s[v - 1]); v--)
			;
		if (memchr(s + v, '?', len - v) == NULL)
			v = SIZE_MAX;
	}
	if (v != SIZE_MAX && larch_quote_names_before(s, v, lossy, NULL))
		return true;
	if (len > 0 && s[len - 1] == ']' && (p = g_strrstr_len(s,
	    (gssize)len, "[")) != NULL && larch_quote_names_before(s,
	    (size_t)(p - s), lossy, NULL))
		return true;
	for (const char *const *w = name_verbs_dated; *w != NULL; w++)
		if ((p = g_strstr_len(s, (gssize)len, *w)) != NULL &&
		    larch_quote_names_before(s, (size_t)(p - s), lossy, NULL))
			return true;
	if (len > 0 && (s[len - 1] == '>' || s[len - 1] == ')') &&
	    larch_quote_names_before(s, len, lossy, NULL))
		return true;
	for (const char *const *w = name_verbs_first; *w != NULL; w++)
		if ((p = g_strstr_len(s, (gssize)len, *w)) != NULL &&
		    names_after(s, (size_t)(p - s) + strlen(*w), len, lossy))
			return true;
	return false;
}

/* The most words an attribution's verb has when it is not one the rules
 * know ("sent off", "ha scritto"). */
#define MAX_VERB_WORDS 2

/* Whether the n bytes at w are a word of lower-case letters, as a verb
 * is ('?' a lost letter when lossy). */
static bool
is_verb_word(const char *w, size_t n, bool lossy)
{
	const char *end = w + n;

	if (n == 0 || name_word_kind(w, n, lossy) != 0)
		return false;
	for (const char *p = w; p < end; p = g_utf8_next_char(p))
		if (!g_unichar_isalpha(g_utf8_get_char(p)) &&
		    !(lossy && *p == '?'))
			return false;
	return true;
}

/*
 * Whether s (len bytes, its colon dropped) is an attribution whatever its
 * verb, as people set their mail client to write it: a date and a time,
 * then a name, then at most MAX_VERB_WORDS lower-case words ("On
 * 2020-10-26 at 12:47 +0000 Ann Lee via list sent off", "..., Ann
 * scribbled", "03/07/2019 10:21, Ann Lee", "Dnia ... 12:15, Ann napisa?").
 * The name holds no brackets, parentheses (but around an address) or
 * colons: "2004/05/19 08:08 CDT [-] Traceback (most recent call last)"
 * is a log.
 */
bool
larch_quote_names_author_loosely(const char *s, size_t len, bool lossy)
{
	size_t end = larch_quote_trim_end(s, len), from = 0;
	unsigned parts;
	bool addr;

	for (int verbs = 0; verbs < MAX_VERB_WORDS; verbs++) {
		size_t ws = end;

		while (ws > 0 && !g_ascii_isspace(s[ws - 1]))
			ws--;
		if (ws == 0 || !is_verb_word(s + ws, end - ws, lossy))
			break;
		end = larch_quote_trim_end(s, ws);
	}
	if (!larch_quote_names_before(s, end, lossy, &from) || from == 0)
		return false;
	addr = memchr(s + from, '@', len - from) != NULL ||
	    g_strstr_len(s + from, (gssize)(len - from), " at ") != NULL;
	for (size_t k = from; k < len; k++)
		if (strchr("[]{}=|:;", s[k]) != NULL ||
		    (!addr && (s[k] == '(' || s[k] == ')')))
			return false;
	/* A time, and a date with its year ("2016-05-26", "26.05.16",
	 * "Thu, May 26, 2016"). */
	parts = larch_quote_date_parts(s, from);
	return (parts & LARCH_QUOTE_SHORT_CLOCK) &&
	    (parts & (LARCH_QUOTE_NUMERIC_DATE | LARCH_QUOTE_YEAR));
}
