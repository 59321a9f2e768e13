/**
 * @file civrules/household.h
 * @brief Households: parsed from JSON or YAML text, or built field by field.
 *
 * The fields a household may carry are declared by the policy's `schema`
 * (see docs/household.md): a household is checked against the policy it is
 * made for, and can only be evaluated with that policy. Unknown fields, wrong
 * types, bad dates, negative money, duplicate ids and dangling member
 * references are errors that name the field path, e.g.
 * `members[1].birth_date`.
 *
 * Thread safety: a finished civr_household is immutable and may be read by
 * several threads at once. A civr_builder belongs to one thread at a time.
 */
#ifndef CIVRULES_HOUSEHOLD_H
#define CIVRULES_HOUSEHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "policy.h"
#include "values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A checked household. Opaque; immutable. */
typedef struct civr_household civr_household;

/** Text format of a household. Every call that takes one refuses any other
 *  value with CIVR_EINVAL (CIVR-9009), before reading the text. */
typedef enum civr_format {
    CIVR_FORMAT_AUTO = 0, /**< JSON when the first non-blank byte is '{', else YAML */
    CIVR_FORMAT_JSON = 1,
    CIVR_FORMAT_YAML = 2
} civr_format;

/**
 * Parse and check one household from `text` (`len` bytes, need not be
 * NUL-terminated) against `policy`'s schema.
 *
 * @param out     receives the household, owned by the caller (civr_household_free)
 * @param source  name used in error positions, e.g. a file name; NULL: "<string>"
 * @return 0, or CIVR_ESYNTAX (malformed text), CIVR_ESCHEMA (unknown field,
 *         wrong type), CIVR_EDATA (bad value), CIVR_ELIMIT, CIVR_ENOMEM, CIVR_EINVAL
 */
int civr_household_parse(civr_household **out, const civr_policy *policy, const char *text,
                         size_t len, civr_format format, const char *source, civr_error *err);

/** Free a household. NULL is a no-op. */
void civr_household_free(civr_household *household);

/** The household's `id`. Borrowed: valid as long as the household. */
const char *civr_household_id(const civr_household *household);

/** Number of members. */
size_t civr_household_member_count(const civr_household *household);

/** Id of member `i`, or NULL when out of range. Borrowed. */
const char *civr_household_member_id(const civr_household *household, size_t i);

/**
 * A builder makes a household without text, field by field, for systems
 * that do not speak JSON. It follows the same schema and gives the same
 * errors as civr_household_parse (with the builder's path as position).
 *
 * Fields are named as in the schema. civr_builder_begin opens a nested
 * record: a new item of a list of records ("members", "income",
 * "situations") or a single sub-record ("assets"); or, for a
 * map of records ("enrolment"), the entry named `key`. civr_builder_end
 * closes it. The set functions set a scalar field of the open record, or,
 * for a list of scalars, append one item.
 *
 * Example:
 * @code
 *   civr_builder_begin(b, "members", NULL, err);
 *   civr_builder_set_string(b, "id", "m1", err);
 *   civr_builder_set_date(b, "birth_date", 1950, 3, 14, err);
 *   civr_builder_end(b, err);
 *   civr_builder_begin(b, "income", NULL, err);
 *   civr_builder_set_string(b, "member", "m1", err);
 *   civr_builder_set_string(b, "kind", "wages", err);
 *   civr_builder_set_money(b, "monthly", 150000, err);
 *   civr_builder_end(b, err);
 *   civr_builder_finish(&household, b, err);
 * @endcode
 * Field names and types are checked at once; required fields, duplicate
 * ids and references at civr_builder_finish. After the first error every
 * further call fails with the same error until civr_builder_reset. Records
 * nest at most 15 levels below the household (CIVR-9018); each misuse has
 * its own id (CIVR-9016..9023, docs/errors.md).
 */
typedef struct civr_builder civr_builder;

/** Make a builder for households of `policy`. Free with civr_builder_free. */
int civr_builder_new(civr_builder **out, const civr_policy *policy, civr_error *err);
/** Free a builder. NULL is a no-op. */
void civr_builder_free(civr_builder *builder);
/** Drop everything built so far, including a recorded error. NULL is a no-op.
 *  (Every other builder call given a NULL builder is CIVR_EINVAL, CIVR-9001.) */
void civr_builder_reset(civr_builder *builder);

/** Open a nested record in `field`; `key` names a map entry, NULL otherwise. */
int civr_builder_begin(civr_builder *builder, const char *field, const char *key,
                       civr_error *err);
/** Close the innermost open record. */
int civr_builder_end(civr_builder *builder, civr_error *err);

/** Set a string or enum field (the text is copied). */
int civr_builder_set_string(civr_builder *builder, const char *field, const char *value,
                            civr_error *err);
/** Set an integer field. */
int civr_builder_set_int(civr_builder *builder, const char *field, int64_t value,
                         civr_error *err);
/** Set a boolean field. */
int civr_builder_set_bool(civr_builder *builder, const char *field, int value, civr_error *err);
/** Set a money field, in fen. */
int civr_builder_set_money(civr_builder *builder, const char *field, int64_t fen,
                           civr_error *err);
/** Set a date field. */
int civr_builder_set_date(civr_builder *builder, const char *field, int year, int month, int day,
                          civr_error *err);

/**
 * Check what was built and, when it is valid, make the household
 * (`*out`, owned by the caller). The builder is reset either way and can
 * build the next household.
 */
int civr_builder_finish(civr_household **out, civr_builder *builder, civr_error *err);

#ifdef __cplusplus
}
#endif

#endif
