/*
 * Declarations shared by record.c (writing a record, and its dates) and
 * record_read.c (reading one back).  Not a public interface: nothing
 * outside lib/record*.c includes this.
 */
#ifndef LARCH_RECORD_PRIVATE_H
#define LARCH_RECORD_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The inverse of larch_iso8601(): reads exactly "[-]YYYY-MM-DDTHH:MM:SSZ"
 * with four or more year digits into *out.  False for anything else, an
 * impossible date, or a time an int64_t of seconds cannot hold.
 */
bool larch_iso8601_parse(const char *s, int64_t *out);

#endif
