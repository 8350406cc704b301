/*
 * Scanning HTML by hand: the pieces lib/html.c's text conversion is made
 * of, shared with the indexer's reader of pipermail article pages.  No
 * allocation; every pointer stays inside [p, end).
 */
#ifndef LARCH_HTML_H
#define LARCH_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Decodes the character reference at p (which is '&'): named (HTML 4's
 * Latin-1 names and the common others), decimal or hex, C1 code points
 * read as Windows-1252 as HTML5 does.  Unless strict, amp, lt, gt, quot
 * and nbsp are also taken without their ';', as old mail writes them;
 * generated pages (pipermail) always write the ';', so there a bare
 * "&amp" is text.  Returns the bytes it takes, 0 when p starts none, and
 * the character in *c.
 */
size_t larch_html_entity(const char *p, const char *end, bool strict,
    gunichar *c);

/* Past the '>' closing the tag that starts at p ('<'); quotes after '='
 * respected; end when there is none. */
const char *larch_html_tag_end(const char *p, const char *end);

/* The first place in [p, end) where needle starts, ASCII case ignored,
 * or NULL. */
const char *larch_html_find_ci(const char *p, const char *end,
    const char *needle);

#ifdef __cplusplus
}
#endif
#endif
