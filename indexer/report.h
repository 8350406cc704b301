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

#endif
