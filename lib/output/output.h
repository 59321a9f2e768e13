/* Rendering results as JSON (the result contract) and as text for people. */
#ifndef CIVR_OUTPUT_H
#define CIVR_OUTPUT_H

#include "../eval/result.h"

/* Append a value as JSON: money as an exact decimal string in yuan. */
void civr__render_value(civr_buf *b, const civr_policy *p, const civr_val *v, civr_type t);
/* Append a shown fact's value as JSON. */
void civr__render_fact(civr_buf *b, const civr_policy *p, const civr_fval *fv);

void civr__render_json(civr_buf *b, const civr_result *r);
/* One trace step as the JSON object of the result's "trace" array. */
void civr__render_trace_entry(civr_buf *b, const civr_result *r, const civr_trace_entry *t);
/* "fact", "parameter", ... for a civr_trace_kind. */
const char *civr__trace_kind_name(unsigned kind);
void civr__render_text(civr_buf *b, const civr_result *r, bool zh);

/* User-facing labels in Chinese and English (labels.c). */
typedef enum civr_label {
    L_HOUSEHOLD,
    L_DATE,
    L_POLICY,
    L_VERSION,
    L_MONTHLY,
    L_TOTAL,
    L_REASONS,
    L_BASIS,
    L_MISSING,
    L_MEMBERS,
    L_YUAN,
    L_FACTS,
    L_TRACE,
    L_ERROR,
    L_ILLUSTRATIVE,
    L_ROUNDED,
    L_CATEGORY,
    L_OUTCOME,
    L_CHECK_FAILED,
    L_MISSING_SHORT,
    L_ABSENT,
    L_CHOICES,
    L_WHY_STATED,
    L_WHY_PAYS_MORE,
    L_WHY_TIE,
    L_TAKEN,
    L_ROUTE_TOTAL,
    L_HOW,
    L_STARRED,
    L_ILLUSTRATIVE_LIST,
    L__COUNT
} civr_label;

const char *civr__label(civr_label l, bool zh);
/* A status's title: the policy's (the bundle may name them), else the built-in one. */
const char *civr__status_label(const civr_policy *p, civr_status s, bool zh);
/* The "why" of a choice, for JSON: stated, pays_more, tie_preferred. */
const char *civr__choice_why_name(uint8_t why);

#endif
