/* Accent folding; see include/larch/fold.h. */
#include <string.h>

#include <glib.h>

#include "larch/fold.h"

char *
larch_fold(const char *text, size_t len)
{
	char *nfkd, *w, *nfc;
	const char *p;
	size_t i;

	for (i = 0; i < len && (unsigned char)text[i] < 0x80; i++)
		;
	if (i == len || !g_utf8_validate(text, len, NULL))
		return NULL;
	nfkd = g_utf8_normalize(text, len, G_NORMALIZE_NFKD);
	if (nfkd == NULL)
		return NULL;
	/* Dropping marks only shortens, so the copy is made in place. */
	w = nfkd;
	p = nfkd;
	while (*p != '\0') {
		const char *next = g_utf8_next_char(p);

		if (g_unichar_type(g_utf8_get_char(p)) ==
		    G_UNICODE_NON_SPACING_MARK) {
			p = next;
			continue;
		}
		while (p < next)
			*w++ = *p++;
	}
	*w = '\0';
	nfc = g_utf8_normalize(nfkd, -1, G_NORMALIZE_NFC);
	g_free(nfkd);
	return nfc;
}

char *
larch_fold_name(const char *name)
{
	char *folded, *lower, *w;
	const char *p;

	if (name == NULL)
		return NULL;
	folded = larch_fold(name, strlen(name));
	lower = g_utf8_strdown(folded != NULL ? folded : name, -1);
	g_free(folded);
	/* Blank runs become one space, none at the ends; in place, since
	 * that only shortens. */
	w = lower;
	for (p = lower; *p != '\0'; p++) {
		if (!g_ascii_isspace(*p))
			*w++ = *p;
		else if (w > lower && w[-1] != ' ')
			*w++ = ' ';
	}
	if (w > lower && w[-1] == ' ')
		w--;
	*w = '\0';
	return lower;
}
