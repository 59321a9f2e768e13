/* Allocation-failure injection, compiled only into test builds. */
#ifndef CIVR_FAULT_H
#define CIVR_FAULT_H

#ifdef CIVR_FAULT_INJECTION
#ifdef __cplusplus
extern "C" {
#endif
#include <stdbool.h>
/* Let `n` more allocations succeed on this thread, then fail every one;
 * -1 turns failures off. */
void civr__fault_fail_after(long n);
/* Has an allocation been made to fail since the last civr__fault_fail_after? */
bool civr__fault_triggered(void);
#ifdef __cplusplus
}
#endif
#endif

#endif
