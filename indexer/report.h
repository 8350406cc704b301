/* What larch-index prints about an index: --stats and --export. */
#ifndef LARCH_INDEXER_REPORT_H
#define LARCH_INDEXER_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "larch/status.h"
#include "larch/store.h"

/* Prints the index's statistics, as aligned text or one JSON object. */
enum larch_status larch_report_stats(struct larch_store *store,
    const char *dir, bool json, FILE *out);

/* Prints every message's record, one JSON object per line. */
enum larch_status larch_report_export(struct larch_store *store, FILE *out);

/* Prints the summary of the thread holding mid (text or one JSON object).
 * LARCH_ERR_NOT_FOUND when there is no such message. */
enum larch_status larch_report_thread(struct larch_store *store,
    const char *mid, bool json, FILE *out);

#endif
