/*
 * Accent folding for search: "café" and "cafe", "Zürich" and "Zurich",
 * full-width "ＩＧＦ" and "IGF" index and query alike.  The indexer folds
 * every text it indexes and the query layer folds what users type, so
 * either spelling finds both.
 */
#ifndef LARCH_FOLD_H
#define LARCH_FOLD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Folds len bytes of UTF-8 text: compatibility decomposition (NFKD),
 * combining marks removed, then recomposed (NFC, so Hangul syllables stay
 * whole); "ß" becomes "ss", "œ" "oe" and a final "ς" a "σ", which NFKD
 * leaves; and
 * French and Italian elided articles are dropped ("l'information" is
 * "information", "qu’il" is "il"), so the word after them is found alone.
 * Returns a new string the caller g_free()s, or NULL when the text needs
 * no folding (plain ASCII without an apostrophe, the common case, costs
 * one scan).  Invalid UTF-8 is returned as NULL too: the caller uses the
 * text as is.
 */
char *larch_fold(const char *text, size_t len);

/*
 * When text[at] starts an apostrophe (' or U+2019) that ends an elided
 * article ("l", "d", "qu", "dell"...: a whole word) and a letter follows
 * it: the length in bytes of the article and the apostrophe, which end at
 * the apostrophe's end.  Else 0.  text holds len bytes of UTF-8.
 */
size_t larch_fold_elision(const char *text, size_t at, size_t len);

/*
 * Drops the elided articles (larch_fold_elision()) of text[0, len) in
 * place and returns the new length; text is NUL-terminated there when it
 * got shorter.  When map is not NULL (len + 1 entries, one per byte and
 * one for the end), its entries move with their bytes.
 */
size_t larch_fold_drop_elisions(char *text, size_t len, size_t *map);

/*
 * A person's display name as names are compared: folded, lower case,
 * blank runs one space, none at the ends ("Zoé  MÜLLER " is "zoe
 * muller").  Returns a new string the caller g_free()s; NULL for NULL.
 */
char *larch_fold_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif
