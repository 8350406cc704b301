/* Private to the store shim: query-dependent snippets (store_snippet.cc). */
#ifndef LARCH_STORE_SNIPPET_HH
#define LARCH_STORE_SNIPPET_HH

#include <string>

#include <xapian.h>

/*
 * About len bytes of text around the densest run of query's words, each
 * matched word between "**" marks, whitespace collapsed, "…" where the
 * text was cut.  With no word found it is the start of the text.
 */
std::string larch_store_snippet(const Xapian::Query &query,
    const std::string &text, size_t len);

#endif
