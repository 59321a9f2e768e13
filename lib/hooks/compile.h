/*
 * Compiling hook sources, for the loader: a header that needs nothing of
 * evaluation (lib/hooks/hooks.h is what the engine uses).
 */
#ifndef CIVR_HOOKS_COMPILE_H
#define CIVR_HOOKS_COMPILE_H

#include <stddef.h>

/*
 * Check that `text` compiles as a Lua text chunk named `path` (no running).
 * 0, or -1 with Lua's message ("path:line: why") in `msg`; -2 when memory ran out.
 */
int civr__hook_compile_check(const char *text, size_t len, const char *path, char *msg,
                             size_t msgsize);

#endif
