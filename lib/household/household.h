/*
 * Households as records of the policy's schema (see lib/model/model.h):
 * decoded from a document tree (decode.c) or built through the builder API
 * (builder.c, which makes a tree and decodes it, so both give the same
 * errors).
 */
#ifndef CIVR_HOUSEHOLD_H
#define CIVR_HOUSEHOLD_H

#include "../model/model.h"
#include "civrules/household.h"

struct civr_household {
    const civr_policy *policy;
    civr_arena arena;
    const civr_rec *root;
    const civr_list *members;
    const char *id;
    const char *region; /* `region`, NULL when absent */
};

/* Decode `doc` into `hh`, whose arena must be initialised (and is used for
 * everything). On failure the arena may hold partial data. */
int civr__household_decode(civr_household *hh, const civr_policy *policy, const civr_doc *doc,
                           const civr_limits *limits, civr_error *err);

/* The household id found in a document that may not decode (for error records). */
const char *civr__household_peek_id(const civr_doc *doc);

/* The `region` text of a document, or NULL (for choosing a bundle before decoding). */
const char *civr__household_peek_region(const civr_doc *doc);

/* 0 when `format` is a civr_format, else CIVR_EINVAL (CIVR-9009) naming the
 * public function `fn` that was given it. */
int civr__format_check(civr_format format, const char *fn, civr_error *err);

/* Parse text as JSON or YAML (format auto-detection as documented). */
int civr__doc_parse_auto(civr_doc *doc, const char *text, size_t len, civr_format format,
                         const char *source, const civr_limits *limits, civr_error *err);

#endif
