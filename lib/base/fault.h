/* Allocation-failure injection, compiled only into test builds. */
#ifndef CIVR_FAULT_H
#define CIVR_FAULT_H

#ifdef CIVR_FAULT_INJECTION
#ifdef __cplusplus
extern "C" {
#endif
/* Let `n` more allocations succeed on this thread, then fail every one;
 * -1 turns failures off. */
void civr__fault_fail_after(long n);
/* Allocations left before failures start (-1: off). */
long civr__fault_remaining(void);
#ifdef __cplusplus
}
#endif
#endif

#endif
