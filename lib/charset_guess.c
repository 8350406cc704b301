/*
 * Guessing the charset of undeclared 8-bit text.  pipermail's monthly .txt
 * archives carry no Content-Type: each list's text is in its language's
 * charset (koi8-r for a Russian list, gb2312 for a Chinese one), which
 * the archive does not name.  Read as windows-1252, such text becomes
 * "ðÒÉ×ÅÔ"; read in its own charset it is words of one script with sane
 * letter case.  So each candidate charset decodes the text and the one
 * whose words look least broken wins; windows-1252 keeps the text unless
 * another reads it clearly better, so Western mail is never re-read.
 *
 * The double-byte charsets of East Asia overlap: every EUC-KR, EUC-JP
 * and Shift_JIS pair is a GB18030 character too, and reads as words of
 * Han as clean as the right reading.  Such a tie goes to GB18030 unless
 * another reading is plainly Korean or Japanese text: see is_korean()
 * and is_japanese().
 */
#include <string.h>
#include <glib.h>

#include "parse_private.h"

/* windows-1252 is kept when at most this share of its words look broken,
 * or when no other charset halves that share. */
#define KEEP_1252 0.15

/* A reading in which the text is plainly Korean or Japanese is taken over
 * the best one when its share of broken words is within this of the
 * best's, or no more than KEEP_1252: a symbol that looks odd in one
 * reading only ("※" in Korean text) must not decide. */
#define CJK_SLACK 0.05

/* In order of preference on a tie: the Western default first, then the
 * single-byte Cyrillic ones (short Russian text can decode as GB18030 by
 * chance, never the reverse with sane case), then the CJK ones. */
enum candidate {
	CS_1252, CS_KOI8R, CS_1251, CS_GB18030, CS_BIG5, CS_SJIS, CS_EUCKR,
	CS_EUCJP, N_CANDIDATES
};

static const char *const candidates[N_CANDIDATES] = {
	[CS_1252] = "WINDOWS-1252", [CS_KOI8R] = "KOI8-R",
	[CS_1251] = "WINDOWS-1251", [CS_GB18030] = "GB18030",
	[CS_BIG5] = "BIG5", [CS_SJIS] = "SHIFT_JIS", [CS_EUCKR] = "EUC-KR",
	[CS_EUCJP] = "EUC-JP",
};

/* What one reading of the text looks like. */
struct reading {
	bool ok;		/* the charset decodes every byte */
	double broken;		/* share of non-ASCII words that look broken */
	unsigned wide;		/* letters of Han, kana and Hangul */
	unsigned hiragana;	/* hiragana in runs of two or more */
	unsigned common_han;	/* Han among Chinese's commonest */
	unsigned common_hangul;	/* Hangul among Korean's commonest */
};

/*
 * The 470 or so commonest characters of modern Chinese, about in the
 * order frequency counts rank them, then the traditional forms of those
 * that have one.  They make up some two thirds of a Chinese text; Korean
 * or Japanese text read as GB18030 or Big5 gives Han of all kinds, a
 * tenth or fewer among these.
 */
static const char common_han[] =
	"的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可"
	"也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方"
	"多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心"
	"她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情"
	"明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政"
	"美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给"
	"世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入"
	"几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太"
	"量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社"
	"便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
	"完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共"
	"确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济"
	"车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影"
	"具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚"
	"请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企"
	"八功吗包片史委乎查轻易早曾除农找装广显吧這個們來為國說時會對"
	"著過發經學現當沒動還進樣開從實軍無長關點業將兩間問應戰頭見產"
	"話內給門東聲員論處義認條題爾別變總電數報結務場計資許統區隊決"
	"馬書則卻達強難權設記類邊張該規覺術領傳師觀讓識帶導爭運飛風聯"
	"組濟車親辦議證轉遠單羅愛擊備連調質團華級況亞請際約線斷滿視須"
	"寫稱嗎輕農裝廣顯與體機麼後於裡幹臺幾兒萬準復複價氣";

/*
 * The Hangul syllables that make up much of any Korean text: particles
 * and endings (이 가 은 는 을 를 의 에 도 로 고 다 니 요 습), and the
 * syllables of the commonest words.  Chinese or Japanese text read as
 * EUC-KR gives syllables from all over the 2,350 of KS X 1001, few of
 * them among these.
 */
static const char common_hangul[] =
	"이다는의에하고을가지서한로기를사자도리어니정대인수시아일나해"
	"으있들것전게적주보상부요우만라장제과성국화면여세동학원소경개"
	"신문생와내그방중은계공선합구식모위연조실관저데오회했할까없물"
	"말안비무입습각발통되때분유법결당진재용명스트터더였년음께치차"
	"강금및업현행함야운단영점알드미러르반교히본번후체날평민종목표"
	"간필속심월작람변감립즘";

/* Both tables as one bit for each CJK Unified Ideograph and Hangul
 * syllable, made once. */
#define HAN_FIRST 0x4E00
#define HAN_LAST 0x9FFF
#define HANGUL_FIRST 0xAC00
#define HANGUL_LAST 0xD7A3

static guint8 han_bits[(HAN_LAST - HAN_FIRST) / 8 + 1];
static guint8 hangul_bits[(HANGUL_LAST - HANGUL_FIRST) / 8 + 1];

static void
set_bits(guint8 *bits, gunichar first, gunichar last, const char *chars)
{
	for (const char *p = chars; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		g_assert(c >= first && c <= last);
		bits[(c - first) / 8] |= (guint8)(1u << (c - first) % 8);
	}
}

static bool
has_bit(const guint8 *bits, gunichar first, gunichar last, gunichar c)
{
	return c >= first && c <= last &&
	    (bits[(c - first) / 8] >> (c - first) % 8 & 1) != 0;
}

enum script { SC_NONE, SC_LATIN, SC_CYRILLIC, SC_GREEK, SC_CJK, SC_OTHER };

static enum script
script_of(gunichar c)
{
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_LATIN:	return SC_LATIN;
	case G_UNICODE_SCRIPT_CYRILLIC:	return SC_CYRILLIC;
	case G_UNICODE_SCRIPT_GREEK:	return SC_GREEK;
	case G_UNICODE_SCRIPT_HAN:
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:
	case G_UNICODE_SCRIPT_HANGUL:	return SC_CJK;
	case G_UNICODE_SCRIPT_COMMON:
		/* The kana's length mark "ー" (and its half-width form)
		 * is a letter of no script, written inside katakana. */
		return c == 0x30FC || c == 0xFF70 ? SC_CJK : SC_OTHER;
	default:			return SC_OTHER;
	}
}

/* A symbol that decoding in the wrong charset brings into words ("×",
 * "¤", "¦"), not one people type there ("°", "©", "€"). */
static bool
is_odd_symbol(gunichar c)
{
	if (c < 0x80 || c == 0xB0 || c == 0xA9 || c == 0xAE || c == 0x20AC ||
	    c == 0x2122)
		return false;
	switch (g_unichar_type(c)) {
	case G_UNICODE_MATH_SYMBOL:
	case G_UNICODE_MODIFIER_SYMBOL:
	case G_UNICODE_OTHER_SYMBOL:
	case G_UNICODE_CONTROL:
	case G_UNICODE_PRIVATE_USE:
	case G_UNICODE_UNASSIGNED:
		return true;
	default:
		return false;
	}
}

/*
 * How broken one word (a run without blanks) holding non-ASCII text
 * looks: 1 for letters of two scripts (Latin with CJK aside: "Linux系统"
 * is normal), an odd symbol, a section sign before a letter or a
 * fraction sign next to one, a
 * lower-case letter followed by an upper-case one (one of them not
 * ASCII), or three accented Latin letters in a row; 0.5 for four or more
 * letters of a cased script all in upper case; else 0.
 */
static double
word_penalty(const char *w, const char *end)
{
	enum script seen = SC_NONE;
	bool prev_lower = false, prev_wide = false, mixed = false;
	bool odd = false, hump = false, prev_letter = false;
	unsigned accented_run = 0, letters = 0, upper = 0, longest = 0;

	for (const char *p = w; p < end; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		enum script s;

		odd |= is_odd_symbol(c);
		/* "§5" is a section; "§Ї§С§д" is GB2312's Cyrillic (lead
		 * byte 0xA7) read as a single-byte charset. */
		odd |= c == 0xA7 && g_utf8_next_char(p) < end &&
		    g_unichar_isalpha(g_utf8_get_char(g_utf8_next_char(p)));
		/* "3¾" and "¾ cup" are fractions; "ºÎ¾ê" is "何娟" in GB2312
		 * read as windows-1252, a fraction glued to letters. */
		odd |= c >= 0xBC && c <= 0xBE && (prev_letter ||
		    (g_utf8_next_char(p) < end && g_unichar_isalpha(
		    g_utf8_get_char(g_utf8_next_char(p)))));
		prev_letter = g_unichar_isalpha(c);
		if (!g_unichar_isalpha(c)) {
			prev_lower = false;
			accented_run = 0;
			continue;
		}
		s = script_of(c);
		if (seen == SC_NONE || (seen == SC_LATIN && s == SC_CJK))
			seen = s;
		else if (s != seen && !(s == SC_LATIN && seen == SC_CJK))
			mixed = true;
		/* "iPhone" is how people write; "ðÒ" is how mojibake looks. */
		hump |= prev_lower && g_unichar_isupper(c) &&
		    (c >= 0x80 || prev_wide);
		prev_lower = g_unichar_islower(c);
		prev_wide = c >= 0x80;
		accented_run = s == SC_LATIN && c >= 0x80 ? accented_run + 1 : 0;
		longest = MAX(longest, accented_run);
		letters++;
		upper += g_unichar_isupper(c);
	}
	if (mixed || odd || hump || longest >= 3)
		return 1;
	if (letters >= 4 && upper == letters && seen != SC_LATIN)
		return 0.5;
	return 0;
}

/* Adds what the letters of one word tell of its language to r. */
static void
count_wide(const char *w, const char *end, struct reading *r)
{
	static gsize once;
	unsigned run = 0;

	if (g_once_init_enter(&once)) {
		set_bits(han_bits, HAN_FIRST, HAN_LAST, common_han);
		set_bits(hangul_bits, HANGUL_FIRST, HANGUL_LAST,
		    common_hangul);
		g_once_init_leave(&once, 1);
	}
	for (const char *p = w; p < end; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		GUnicodeScript s = g_unichar_get_script(c);

		if (s == G_UNICODE_SCRIPT_HIRAGANA) {
			run++;
		} else {
			r->hiragana += run >= 2 ? run : 0;
			run = 0;
		}
		if (!g_unichar_isalpha(c))
			continue;
		r->wide += s == G_UNICODE_SCRIPT_HAN ||
		    s == G_UNICODE_SCRIPT_HIRAGANA ||
		    s == G_UNICODE_SCRIPT_KATAKANA ||
		    s == G_UNICODE_SCRIPT_HANGUL;
		r->common_han += has_bit(han_bits, HAN_FIRST, HAN_LAST, c);
		r->common_hangul += has_bit(hangul_bits, HANGUL_FIRST,
		    HANGUL_LAST, c);
	}
	r->hiragana += run >= 2 ? run : 0;
}

/* Judges one reading: the share of words holding non-ASCII characters
 * that look broken, and the letters of the CJK scripts. */
static void
judge(const char *s, size_t len, struct reading *r)
{
	const char *p = s, *end = s + len;
	double broken = 0;
	unsigned words = 0;

	while (p < end) {
		const char *w;
		bool wide = false;

		while (p < end && g_ascii_isspace(*p))
			p++;
		w = p;
		while (p < end && !g_ascii_isspace(*p))
			wide |= (unsigned char)*p++ >= 0x80;
		if (!wide)
			continue;
		words++;
		broken += word_penalty(w, p);
		count_wide(w, p, r);
	}
	r->broken = words > 0 ? broken / words : 0;
}

/*
 * Korean text is Hangul of which a fifth at least is among the commonest
 * syllables, half as many again as the common Chinese characters of the
 * reading that would be taken otherwise.  Chinese text read as EUC-KR
 * gives syllables from all over the table and Hanja; a short one may hit
 * a common syllable ("大家" reads "대소"), but then its own reading is
 * common Chinese, mostly.  Korean text read as GB18030 gives Han that
 * is common a tenth of the time.  Korean written with many Hanja may not
 * pass, and stays as it was.
 */
static bool
is_korean(const struct reading *kr, const struct reading *best)
{
	return kr->ok && kr->common_hangul * 5 >= kr->wide &&
	    kr->common_hangul * 2 > best->common_han * 3;
}

/*
 * Japanese text has runs of hiragana between its kanji (particles,
 * endings: "について", "します"); Chinese has none, also when it uses
 * a single "の".  GB2312 holds the kana at the places EUC-JP does, so
 * EUC-JP text read as GB18030 keeps them; the test is made on the
 * Japanese reading, where they are the same.  A Japanese text of kanji
 * and katakana alone cannot be told from Chinese this way.
 */
static bool
is_japanese(const struct reading *r)
{
	return r->ok && r->hiragana >= 2 && r->hiragana * 10 >= r->wide;
}

/* windows-1252 as iconv reads it, except that its five unassigned bytes
 * become U+FFFD rather than failing the whole text.  The table of the
 * upper half is made once. */
static char *
read_1252(const char *bytes, size_t len, size_t *out_len)
{
	static char upper[128][4];
	static gsize once;
	GString *out = g_string_sized_new(len + len / 2);

	if (g_once_init_enter(&once)) {
		for (int c = 0x80; c <= 0xFF; c++) {
			char in = (char)c;
			char *u = g_convert(&in, 1, "UTF-8", "WINDOWS-1252",
			    NULL, NULL, NULL);

			g_strlcpy(upper[c - 0x80], u != NULL && strlen(u) < 4 ?
			    u : "\xef\xbf\xbd", sizeof upper[0]);
			g_free(u);
		}
		g_once_init_leave(&once, 1);
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)bytes[i];

		if (c < 0x80)
			g_string_append_c(out, (char)c);
		else
			g_string_append(out, upper[c - 0x80]);
	}
	*out_len = out->len;
	return g_string_free(out, FALSE);
}

/* Decodes the text in charset name (an iconv name) and judges it;
 * r->ok stays false when the charset cannot have these bytes. */
static void
read_as(const char *bytes, size_t len, const char *name, struct reading *r)
{
	gsize read = 0, written = 0;
	char *text;

	if (g_ascii_strcasecmp(name, candidates[CS_1252]) == 0) {
		text = read_1252(bytes, len, &written);
	} else {
		/* Given somewhere to say how much it read, g_convert()
		 * stops quietly before a last character that the cut at
		 * LARCH_GUESS_BYTES split; it still fails on a byte the
		 * charset cannot have. */
		text = g_convert(bytes, (gssize)len, "UTF-8", name, &read,
		    &written, NULL);
		if (text == NULL)
			return;
	}
	r->ok = true;
	judge(text, written, r);
	g_free(text);
}

/*
 * The candidate up to last (other than skip) whose reading is the
 * cleanest, r[] filled for each; N_CANDIDATES when none decodes the
 * bytes.
 */
static enum candidate
clearest(const char *bytes, size_t len, struct reading *r, int skip,
    enum candidate last)
{
	enum candidate best = N_CANDIDATES, lang = N_CANDIDATES;

	for (int i = 0; i <= (int)last; i++) {
		if (i == skip)
			continue;
		read_as(bytes, len, candidates[i], &r[i]);
		if (r[i].ok && (best == N_CANDIDATES ||
		    r[i].broken < r[best].broken))
			best = (enum candidate)i;
	}
	/* The CJK readings of the same bytes are often all clean: then the
	 * one in which the text is plainly Korean or Japanese is taken,
	 * when it is about as clean or looks fine by itself. */
	if (best >= CS_GB18030 && best < N_CANDIDATES) {
		if (is_korean(&r[CS_EUCKR], &r[best]))
			lang = CS_EUCKR;
		else if (is_japanese(&r[CS_SJIS]))
			lang = CS_SJIS;
		else if (is_japanese(&r[CS_EUCJP]))
			lang = CS_EUCJP;
		if (lang != N_CANDIDATES && r[lang].broken <= MAX(KEEP_1252,
		    r[best].broken + CJK_SLACK))
			best = lang;
	}
	return best;
}

const char *
larch_charset_guess(const char *bytes, size_t len)
{
	struct reading r[N_CANDIDATES] = { 0 };
	enum candidate best;

	len = MIN(len, LARCH_GUESS_BYTES);
	read_as(bytes, len, candidates[CS_1252], &r[CS_1252]);
	if (r[CS_1252].broken <= KEEP_1252)
		return candidates[CS_1252];
	best = clearest(bytes, len, r, CS_1252, CS_EUCJP);
	return best != N_CANDIDATES &&
	    r[best].broken < r[CS_1252].broken / 2 ? candidates[best] :
	    candidates[CS_1252];
}

/* Single-byte charsets whose labels are known to lie about text that
 * decodes without error in them: Russian mail in KOI8-R labelled
 * windows-1251 or the reverse, Latin-1 text labelled KOI8-R. */
static const char *const rechecked[] = {
	"WINDOWS-1252", "ISO-8859-1", "ISO-8859-15", "KOI8-R", "KOI8-U",
	"WINDOWS-1251", "ISO-8859-5", "CP866", "IBM866", NULL,
};

const char *
larch_charset_recheck(const char *bytes, size_t len, const char *declared)
{
	struct reading r[N_CANDIDATES] = { 0 }, own = { 0 };
	enum candidate best;
	int skip = -1;
	size_t i;

	for (i = 0; rechecked[i] != NULL; i++)
		if (g_ascii_strcasecmp(declared, rechecked[i]) == 0)
			break;
	if (rechecked[i] == NULL)
		return declared;
	len = MIN(len, LARCH_GUESS_BYTES);
	read_as(bytes, len, declared, &own);
	/* Nearly every text read in its own charset passes here, at the
	 * cost of one pass over its words. */
	if (!own.ok || own.broken <= KEEP_1252)
		return declared;
	for (int k = 0; k < N_CANDIDATES; k++)
		if (g_ascii_strcasecmp(declared, candidates[k]) == 0)
			skip = k;
	/* Only the single-byte ones: those are the labels that lie, and a
	 * text the label reads badly for other reasons (HTML whose tags
	 * touch its words, so that every word mixes scripts) must not turn
	 * into the Han that a double-byte reading makes of any bytes. */
	best = clearest(bytes, len, r, skip, CS_1251);
	return best != N_CANDIDATES && r[best].broken < own.broken / 2 ?
	    candidates[best] : declared;
}
