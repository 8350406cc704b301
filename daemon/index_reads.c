/*
 * The index's blocks read from memory; see index_reads.h.
 *
 * Owner: the daemon engineer.
 */
/* The C library's own names open and pread are defined below: with
 * _FILE_OFFSET_BITS=64 its headers would rename both to open64 and
 * pread64, the same functions where off_t has 64 bits, the only systems
 * where anything is mapped. */
#undef _FILE_OFFSET_BITS

#include <dlfcn.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "index_reads.h"

#if UINTPTR_MAX > UINT32_MAX

/* File descriptors from this one up are never mapped. */
#define MAX_FDS 65536

struct mapping {
	const char *base;	/* NULL when len is 0 */
	size_t len;
};

/* Read and written only through g_atomic_pointer_*: a slot is set by
 * open() and cleared by close() on whichever thread, and another thread
 * may open a file that gets the same number next. */
static struct mapping *slots[MAX_FDS];
static gint enabled;
static gboolean handler_installed;
static struct sigaction previous_bus;
/* Where a copy from a mapping goes back to if it faults.  volatile: the
 * signal handler reads it, and the compiler, knowing what memcpy()
 * touches, would otherwise drop the store before the copy. */
static __thread sigjmp_buf *volatile copying;

typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);
typedef int (*close_fn)(int);

/* The C library's function of that name, the one larchd's stands in
 * front of, looked up once into *cache. */
static void *
library_fn(const char *name, gpointer *cache)
{
	void *fn = g_atomic_pointer_get(cache);

	if (fn != NULL)
		return fn;
	fn = dlsym(RTLD_NEXT, name);
	if (fn == NULL) {
		fprintf(stderr, "larchd: fatal: no '%s' in the C library\n",
		    name);
		abort();
	}
	g_atomic_pointer_set(cache, fn);
	return fn;
}

/* library_fn()'s caches. */
static gpointer pread_cache, close_cache;

/* Whether what open() opened is a table a Xapian reader reads. */
static bool
is_table(const char *path, int flags)
{
	return (flags & O_ACCMODE) == O_RDONLY &&
	    (flags & (O_CREAT | O_TRUNC | O_PATH)) == 0 &&
	    g_str_has_suffix(path, ".glass");
}

/* fd mapped whole, or NULL (not a regular file, or mmap() refused). */
static struct mapping *
map_file(int fd)
{
	struct mapping *m;
	struct stat st;
	void *p = NULL;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0)
		return NULL;
	if (st.st_size > 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd,
		    0);
		if (p == MAP_FAILED)
			return NULL;
		/* A fault on a page not in memory reads that page, as a
		 * pread() would, not the 128 KiB around it: reads of a
		 * B-tree jump about, and the read-around made a first
		 * search on an index not in memory take 400 ms, not 11. */
		(void)madvise(p, (size_t)st.st_size, MADV_RANDOM);
	}
	m = g_new(struct mapping, 1);
	m->base = p;
	m->len = (size_t)st.st_size;
	return m;
}

static void
unmap(struct mapping *m)
{
	if (m == NULL)
		return;
	if (m->len > 0)
		munmap((void *)m->base, m->len);
	g_free(m);
}

/* Puts m (or nothing) in fd's slot, unmapping what was there. */
static void
set_slot(int fd, struct mapping *m)
{
	unmap(g_atomic_pointer_exchange(&slots[fd], m));
}

static bool
fits(const struct mapping *m, off_t off, size_t n)
{
	return m != NULL && (uint64_t)off <= m->len &&
	    n <= m->len - (uint64_t)off;
}

/* fd's mapping for a read of n bytes at off past its end: the file
 * mapped again if it has grown that far, else m itself. */
static struct mapping *
grow(int fd, struct mapping *m, off_t off, size_t n)
{
	struct mapping *bigger;
	struct stat st;

	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size <= m->len ||
	    (uint64_t)st.st_size < (uint64_t)off + n)
		return m;
	bigger = map_file(fd);
	if (bigger == NULL)
		return m;
	set_slot(fd, bigger);
	return bigger;
}

/* Copies n bytes from a mapping; false if that faulted (the file was cut
 * short under it). */
static bool
copy_out(void *dst, const char *src, size_t n)
{
	sigjmp_buf back;

	if (sigsetjmp(back, 0) != 0) {
		copying = NULL;
		return false;
	}
	copying = &back;
	memcpy(dst, src, n);
	copying = NULL;
	return true;
}

static void
on_sigbus(int sig, siginfo_t *info, void *context)
{
	sigjmp_buf *back = copying;

	if (back != NULL) {
		copying = NULL;
		siglongjmp(*back, 1);
	}
	/* Not a copy from a mapping: the fault happens again once this
	 * returns, and is handled as it would have been without larchd's
	 * handler. */
	sigaction(SIGBUS, &previous_bus, NULL);
}

void
index_reads_enable(bool on)
{
	if (on && !handler_installed) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigbus;
		/* SA_NODEFER: the jump out of the handler leaves SIGBUS
		 * unblocked, ready for the next fault. */
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGBUS, &sa, &previous_bus) != 0) {
			/* Without the handler a cut-short file would crash
			 * larchd: read as before. */
			on = false;
		} else {
			handler_installed = TRUE;
		}
	}
	g_atomic_int_set(&enabled, on);
}

size_t
index_reads_mapped(int fd)
{
	struct mapping *m;

	if (fd < 0 || fd >= MAX_FDS)
		return 0;
	m = g_atomic_pointer_get(&slots[fd]);
	return m != NULL ? m->len : 0;
}

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	int fd;

	if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	fd = openat(AT_FDCWD, path, flags, mode);
	if (fd < 0 || fd >= MAX_FDS)
		return fd;
	if (g_atomic_int_get(&enabled) && is_table(path, flags))
		set_slot(fd, map_file(fd));
	else if (g_atomic_pointer_get(&slots[fd]) != NULL)
		/* Left by an fd closed some other way. */
		set_slot(fd, NULL);
	return fd;
}

int
close(int fd)
{
	if (fd >= 0 && fd < MAX_FDS &&
	    g_atomic_pointer_get(&slots[fd]) != NULL)
		set_slot(fd, NULL);
	return ((close_fn)library_fn("close", &close_cache))(fd);
}

/* The large-file names of the same functions, for a library built with
 * _FILE_OFFSET_BITS=64 (Debian's Xapian calls open and pread). */
int open64(const char *path, int flags, ...) __attribute__((alias("open")));

ssize_t
pread(int fd, void *buf, size_t n, off_t off)
{
	struct mapping *m = NULL;

	/* A read of nothing is the C library's (it may have to say EBADF). */
	if (fd >= 0 && fd < MAX_FDS && off >= 0 && n > 0)
		m = g_atomic_pointer_get(&slots[fd]);
	if (m != NULL) {
		if (!fits(m, off, n))
			m = grow(fd, m, off, n);
		if (fits(m, off, n) && copy_out(buf, m->base + off, n))
			return (ssize_t)n;
	}
	return ((pread_fn)library_fn("pread", &pread_cache))(fd, buf, n,
	    off);
}

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
    __attribute__((alias("pread")));

#else	/* 32-bit: nothing is mapped */

void
index_reads_enable(bool on)
{
}

size_t
index_reads_mapped(int fd)
{
	return 0;
}

#endif
