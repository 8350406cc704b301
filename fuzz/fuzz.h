/*
 * What every fuzz target in fuzz/ defines.  Built with -Dfuzz=true, a
 * target links libFuzzer's main; in every build it also links replay.c's
 * main, which runs the files it is given (fuzz/regressions/<target>/ and
 * the fixtures) once each, so every crash found stays a test.
 *
 * A target checks what its module promises with g_assert*(): a broken
 * promise aborts, and libFuzzer (or the replay test) reports it.
 */
#ifndef LARCH_FUZZ_H
#define LARCH_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Once per process, before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
/* One input; always returns 0 (libFuzzer reserves other values). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FNV-1a: the targets derive their options from the input's bytes, so
 * one input always means one run, and the seeds stay plain fixtures. */
static inline uint64_t
fuzz_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < size; i++) {
		h ^= data[i];
		h *= 0x100000001b3u;
	}
	return h;
}

#endif
