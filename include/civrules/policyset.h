/**
 * @file civrules/policyset.h
 * @brief Every bundle of a policy tree, and the one that governs a household.
 *
 * A county bureau's households are evaluated with the bundle of their own
 * place: the most specific bundle whose `regions:` contain the household's
 * `region` (see civr_policy_governs). A policy set loads, once, every
 * bundle under a root folder (e.g. `policies/`) that declares regions, and
 * picks one for a household or refuses with an error that says why.
 *
 * Thread safety: a loaded set is immutable and may be shared by threads,
 * like the policies it holds.
 */
#ifndef CIVRULES_POLICYSET_H
#define CIVRULES_POLICYSET_H

#include <stddef.h>

#include "error.h"
#include "household.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The bundles of a policy tree. Opaque; immutable after load. */
typedef struct civr_policy_set civr_policy_set;

/**
 * Load every bundle under folder `root` (searched recursively, in name
 * order; folders named `tests` are skipped) whose own bundle.yaml declares
 * `regions:`. Bundles without regions (the national and provincial layers)
 * are loaded only as parents.
 *
 * @return 0; a bundle's load error (its file, line and column);
 *         CIVR_EPOLICY with CIVR-7005 when two bundles declare the same
 *         division code; CIVR_EIO when `root` cannot be read or holds no
 *         bundle with regions; CIVR_ENOMEM, CIVR_EINVAL.
 */
int civr_policy_set_load(civr_policy_set **out, const char *root, const civr_load_options *opts,
                         civr_error *err);

/** Free a set and its policies. NULL is a no-op. */
void civr_policy_set_free(civr_policy_set *set);

/** Number of bundles in the set. */
size_t civr_policy_set_count(const civr_policy_set *set);
/** Bundle `i` (name order), or NULL when out of range. Borrowed from the set. */
const civr_policy *civr_policy_set_policy(const civr_policy_set *set, size_t i);

/**
 * The bundle that governs division code `region`: the one with the highest
 * civr_policy_governs. `*out` is borrowed from the set, NULL on error.
 * @return 0, or CIVR_EDATA: CIVR-7001 (`region` NULL), CIVR-7003 (not a
 *         division code), CIVR-7004 (no bundle governs it).
 */
int civr_policy_set_select(const civr_policy **out, const civr_policy_set *set,
                           const char *region, civr_error *err);

/**
 * civr_policy_set_select for the `region` of a household text (JSON or YAML,
 * as civr_household_parse reads it). A text that does not parse gives its
 * syntax error, with `source` and the position. When `id` is not NULL it
 * receives the household's `id` as far as it can be read (truncated to
 * `id_size` - 1 bytes; "" when none), for an error record.
 */
int civr_policy_set_select_text(const civr_policy **out, const civr_policy_set *set,
                                const char *text, size_t len, civr_format format,
                                const char *source, char *id, size_t id_size, civr_error *err);

#ifdef __cplusplus
}
#endif

#endif
