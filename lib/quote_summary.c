/*
 * Summaries: a message's new text without its greetings and closing
 * sign-off, whitespace collapsed and cut short (see include/larch/quote.h),
 * by the greeting, signoff and summary-end rules.
 */
#include <string.h>
#include <glib.h>

#include "quote_private.h"

bool
larch_quote_rule_found(const struct larch_quote_rules *rules,
    enum larch_quote_rule kind, const char *s, size_t len)
{
	GPtrArray *r = rules->rules[kind];

	if (len > LARCH_QUOTE_MAX_RULE_LINE)
		return false;
	for (guint i = 0; i < r->len; i++)
		if (larch_pattern_find(r->pdata[i], s, len, 0, NULL))
			return true;
	return false;
}

static size_t
skip_space(const char *s, size_t pos, size_t len)
{
	while (pos < len && g_ascii_isspace(s[pos]))
		pos++;
	return pos;
}

size_t
larch_quote_greetings_end(const struct larch_quote_rules *rules,
    const char *s, size_t len)
{
	GPtrArray *g = rules->rules[LARCH_RULE_GREETING];
	size_t pos = skip_space(s, 0, len);

	for (int round = 0; round < 3; round++) {
		struct larch_match m;
		guint r;

		/* Matched on the rest of the text, so that a rule's ^ holds
		 * after an indent and for a second greeting on the same
		 * line ("Dear Mariana, dear all,"). */
		for (r = 0; r < g->len; r++)
			if (larch_pattern_matches_at(g->pdata[r], s + pos,
			    len - pos, 0, &m) && m.end[0] > 0)
				break;
		if (r == g->len)
			break;
		pos = skip_space(s, pos + (size_t)m.end[0], len);
	}
	return pos;
}

/* Where a closing sign-off ("Thanks,\nMarkus") starts, or len. */
static size_t
signoff_start(const struct larch_quote_rules *rules, const char *s,
    size_t len)
{
	size_t end = len, after = 0;

	while (end > 0 && after <= 2) {
		size_t start = end;

		while (start > 0 && s[start - 1] != '\n')
			start--;
		if (larch_quote_rule_found(rules, LARCH_RULE_SIGNOFF, s + start,
		    end - start))
			return start;
		if (g_utf8_strlen(s + start, (gssize)(end - start)) > 40)
			break;
		after += skip_space(s, start, end) < end;
		end = start > 0 ? start - 1 : 0;
	}
	return len;
}

/* Where the summary's text ends: before the first match of a summary-end
 * rule (a patch's trailers or diffstat), or len.  A patch with no
 * description starts with one: it has nothing to summarise, and its
 * "Signed-off-by:" line would only name the sender again. */
static size_t
summary_end(const struct larch_quote_rules *rules, const char *s,
    size_t from, size_t len)
{
	GPtrArray *r = rules->rules[LARCH_RULE_SUMMARY_END];
	size_t end = len;

	for (guint i = 0; i < r->len && end > from; i++) {
		struct larch_match m;
		size_t st;

		if (!larch_pattern_find(r->pdata[i], s, end, from, &m))
			continue;
		st = (size_t)m.start[0];
		end = skip_space(s, from, st) < st ? st : from;
	}
	return end;
}

/*
 * Scripts written without spaces between words (Han, kana, Thai and its
 * neighbours) and the full-width punctuation among them: a summary may
 * end at any of their characters, best after punctuation.  Hangul is
 * written with spaces between words, and cut at them like Latin.
 */
static bool
is_unspaced(gunichar c)
{
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_HAN:
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:
	case G_UNICODE_SCRIPT_THAI:
	case G_UNICODE_SCRIPT_LAO:
	case G_UNICODE_SCRIPT_KHMER:
	case G_UNICODE_SCRIPT_MYANMAR:
		return true;
	default:
		return g_unichar_iswide(c) && g_unichar_ispunct(c);
	}
}

/* Punctuation after which unspaced text reads well cut: "，", "。", "、",
 * "！", "？", "；", "：", and their ASCII forms. */
static bool
is_clause_end(gunichar c)
{
	return larch_quote_is_one_of(c, ",.!?;:") || c == 0x3001 ||
	    c == 0x3002 || c == 0xFF0C || c == 0xFF01 || c == 0xFF1F ||
	    c == 0xFF1B || c == 0xFF1A || c == 0xFF0E;
}

static bool
is_regional_indicator(gunichar c)
{
	return c >= 0x1F1E6 && c <= 0x1F1FF;
}

/*
 * p moved back to the start of the character cluster it is in, so that
 * a cut leaves no accent without its letter, no emoji sequence split at a
 * joiner ("👨‍👩‍👧") or a skin tone, and no flag halved.
 */
static const char *
cluster_start(const char *s, const char *p)
{
	while (p > s) {
		const char *q = g_utf8_prev_char(p);
		gunichar c = g_utf8_get_char(p), b = g_utf8_get_char(q);
		size_t flags = 0;

		if (is_regional_indicator(c) && is_regional_indicator(b)) {
			/* A flag is a pair: count the indicators before. */
			for (const char *r = p; r > s &&
			    is_regional_indicator(g_utf8_get_char(
			    g_utf8_prev_char(r))); r = g_utf8_prev_char(r))
				flags++;
			if (flags % 2 == 0)
				break;
		} else if (!(g_unichar_ismark(c) || c == 0x200D ||
		    b == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) ||
		    (c >= 0x1F3FB && c <= 0x1F3FF) ||
		    (c >= 0xE0020 && c <= 0xE007F))) {
			break;
		}
		p = q;
	}
	return p;
}

/*
 * Where to cut s before end (at characters in), keeping least characters
 * at least: at a space, or in unspaced text right after a clause's
 * punctuation.  end itself when there is no such place.
 */
static const char *
break_before(const char *s, const char *end, size_t at, size_t least,
    bool unspaced)
{
	/* at: end's offset in characters, counted down with p. */
	for (const char *p = end; p > s && at >= least;
	    p = g_utf8_prev_char(p), at--) {
		gunichar b = g_utf8_get_char(g_utf8_prev_char(p));

		if (unspaced ? is_clause_end(b) : *p == ' ')
			return p;
	}
	return end;
}

/* s (whitespace collapsed) cut to at most max characters, "…" included,
 * at a word boundary, or in text without spaces after punctuation or
 * else at any character. */
static char *
cut_text(const char *s, size_t max)
{
	size_t n = (size_t)g_utf8_strlen(s, -1);
	const char *end;
	GString *res;

	if (n <= max)
		return g_strdup(s);
	if (max == 0)
		return g_strdup("");
	end = g_utf8_offset_to_pointer(s, (glong)(max - 1));
	if (end > s && !g_unichar_isspace(g_utf8_get_char(end))) {
		bool unspaced = is_unspaced(g_utf8_get_char(end)) ||
		    is_unspaced(g_utf8_get_char(g_utf8_prev_char(end)));

		/* Back to the last space, unless the word is very long;
		 * in unspaced text back to the end of a clause not far
		 * off, else any character will do. */
		end = break_before(s, end, max - 1, unspaced ?
		    (max - 1) * 3 / 4 : (max - 1) / 2, unspaced);
	}
	end = cluster_start(s, end);
	while (end > s) {
		const char *q = g_utf8_prev_char(end);
		gunichar c = g_utf8_get_char(q);

		if (c != ' ' && !larch_quote_is_one_of(c, ",;:") &&
		    c != 0x3001 && c != 0xFF0C && c != 0xFF1B && c != 0xFF1A)
			break;
		end = q;
	}
	res = g_string_new_len(s, end - s);
	g_string_append(res, "\u2026");
	return g_string_free(res, FALSE);
}

/*
 * s up to end with each run of whitespace made one space, none at either
 * end.  Only as far as the cut to max characters can need: past max
 * characters, the last one not a space (a space at the end would go).
 */
static GString *
flatten(const char *s, const char *end, size_t max)
{
	GString *flat = g_string_new(NULL);
	size_t chars = 0;

	for (const char *p = s; p < end && !(chars > max &&
	    flat->str[flat->len - 1] != ' '); p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (!g_unichar_isspace(c))
			g_string_append_unichar(flat, c);
		else if (flat->len > 0 && flat->str[flat->len - 1] != ' ')
			g_string_append_c(flat, ' ');
		else
			continue;
		chars++;
	}
	if (flat->len > 0 && flat->str[flat->len - 1] == ' ')
		g_string_truncate(flat, flat->len - 1);
	return flat;
}

char *
larch_quote_summary(const char *new_text, size_t max)
{
	return larch_quote_summary_by(larch_quote_rules_default(), new_text,
	    max);
}

char *
larch_quote_summary_by(const struct larch_quote_rules *rules,
    const char *new_text, size_t max)
{
	char *valid, *res;
	size_t len, pos, end;
	GString *flat;

	if (new_text == NULL)
		return g_strdup("");
	res = g_utf8_make_valid(new_text, -1);
	len = strlen(res);
	valid = larch_quote_padded(res, len);
	g_free(res);
	end = signoff_start(rules, valid, len);
	pos = larch_quote_greetings_end(rules, valid, len);
	/* Nothing but a greeting and a sign-off ("Thanks,\nMarkus" looks
	 * like a greeting by name): keep it all. */
	if (pos >= end)
		pos = 0;
	if (skip_space(valid, pos, end) == end)
		end = len;
	end = summary_end(rules, valid, pos, end);
	flat = flatten(valid + pos, valid + end, max);
	res = cut_text(flat->str, max);
	g_string_free(flat, TRUE);
	g_free(valid);
	return res;
}
