/*
 * Exact rational numbers for money and rates. Money is held in fen
 * (num = fen when den = 1); rates such as 1.6 or 30% are exact fractions.
 * Every operation reports overflow instead of wrapping, and nothing here
 * ever rounds unless civr__num_round is called.
 */
#ifndef CIVR_NUM_H
#define CIVR_NUM_H

#include <stdbool.h>
#include <stdint.h>

#include "base.h"

typedef struct civr_num {
    int64_t n; /* numerator */
    int64_t d; /* denominator, >= 1, coprime with n */
} civr_num;

typedef enum civr_round_mode {
    CIVR_ROUND_UP = 0,     /* toward +infinity (ceiling) */
    CIVR_ROUND_DOWN = 1,   /* toward -infinity (floor) */
    CIVR_ROUND_HALF_UP = 2 /* to nearest; ties toward +infinity */
} civr_round_mode;

static inline civr_num civr__num_int(int64_t v)
{
    civr_num x = {v, 1};
    return x;
}

static inline bool civr__num_is_int(civr_num x)
{
    return x.d == 1;
}

/* Each returns false on overflow; *out is then unchanged. */
bool civr__num_add(civr_num a, civr_num b, civr_num *out);
bool civr__num_sub(civr_num a, civr_num b, civr_num *out);
bool civr__num_mul(civr_num a, civr_num b, civr_num *out);
bool civr__num_div(civr_num a, civr_num b, civr_num *out); /* caller checks b != 0 */
bool civr__num_neg(civr_num a, civr_num *out);
int civr__num_cmp(civr_num a, civr_num b); /* -1, 0, 1 */
static inline int civr__num_sign(civr_num a)
{
    return (a.n > 0) - (a.n < 0);
}

/* Round x to a multiple of `unit` (> 0) with `mode`; false on overflow. */
bool civr__num_round(civr_num x, int64_t unit, civr_round_mode mode, int64_t *out);

/*
 * Parse a decimal ("1282", "-0.35", "1.6") times 10^scale, with an optional
 * trailing '%' that divides by 100. Returns false for any other form or when
 * it does not fit. `*decimals` (may be NULL) receives the number of digits
 * after the point.
 */
bool civr__num_parse(const char *s, size_t len, int scale, civr_num *out, int *decimals);

/*
 * Append x / 10^scale as text: an exact decimal with at least `min_decimals`
 * digits after the point when the value terminates ("2346.00", "0.125"),
 * otherwise the exact fraction in lowest terms ("1000/3").
 */
void civr__num_format(civr_num x, int scale, int min_decimals, civr_buf *out);

#endif
