/* Reading typed values written in policy YAML: exact, never through binary floating point. */
#include <stdio.h>

#include "loader.h"

static bool scalar_text(civr_loader *ld, uint32_t file, const civr_node *node, const char *field,
                        const char *what, const char **t)
{
    if (!node || node->kind != CIVR_NODE_SCALAR || civr__node_is_null(node)) {
        civr__ld_error(ld, file, node, CIVR_MSG(WRONG_TYPE), field, what, civr__node_describe(node));
        return false;
    }
    *t = node->u.scalar.text;
    return true;
}

bool civr__ld_value(civr_loader *ld, uint32_t file, const civr_node *node, civr_type t,
                    civr_val *out)
{
    return civr__ld_field_value(ld, file, node, "value", t, out);
}

bool civr__ld_field_value(civr_loader *ld, uint32_t file, const civr_node *node, const char *field,
                          civr_type t, civr_val *out)
{
    const civr_policy *p = ld->pol;
    const char *s;
    memset(out, 0, sizeof *out);
    switch ((civr_tkind)t.kind) {
    case CT_MONEY:
    case CT_RATE:
    case CT_INT: {
        const char *what = t.kind == CT_MONEY  ? "an amount in yuan"
                           : t.kind == CT_RATE ? "a decimal or a percentage"
                                               : "a whole number";
        if (!scalar_text(ld, file, node, field, what, &s))
            return false;
        civr_num v;
        int decimals = 0;
        size_t len = node->u.scalar.len;
        bool percent = len && s[len - 1] == '%';
        bool ok = civr__num_parse(s, len, t.kind == CT_MONEY ? 2 : 0, &v, &decimals);
        if (ok && t.kind == CT_MONEY)
            ok = !percent && decimals <= 2 && v.d == 1;
        if (ok && t.kind == CT_INT)
            ok = !percent && v.d == 1 && decimals == 0;
        if (!ok) {
            civr__ld_error(ld, file, node, CIVR_MSG(BAD_VALUE), field, s, what,
                           t.kind == CT_MONEY ? " (at most 2 decimals)" : "");
            return false;
        }
        out->k = VK_NUM;
        out->u.n = v;
        return true;
    }
    case CT_BOOL: {
        bool b;
        if (!civr__ld_bool(ld, file, node, field, &b))
            return false;
        out->k = VK_BOOL;
        out->u.b = b;
        return true;
    }
    case CT_DATE: {
        if (!scalar_text(ld, file, node, field, "a date (YYYY-MM-DD)", &s))
            return false;
        civr_error e = CIVR_ERROR_INIT;
        if (civr_date_parse(&out->u.date, s, node->u.scalar.len, &e) < 0) {
            civr__ld_error(ld, file, node, CIVR_MSG(BAD_DATE), field, s, CIVR_DATE_YEAR_MIN,
                           CIVR_DATE_YEAR_MAX);
            return false;
        }
        out->k = VK_DATE;
        return true;
    }
    case CT_STRING:
        if (!scalar_text(ld, file, node, field, "a text", &s))
            return false;
        out->k = VK_STR;
        out->u.str.s = s;
        out->u.str.len = (uint32_t)node->u.scalar.len;
        return true;
    case CT_ENUM: {
        const civr_enum *en = &p->enums[t.ref];
        if (!scalar_text(ld, file, node, field, "an enum value", &s))
            return false;
        int32_t v = civr__policy_enum_value(en, s, node->u.scalar.len);
        if (v < 0) {
            civr_buf vals = CIVR_BUF_INIT;
            for (uint32_t i = 0; i < en->count; i++)
                civr__buf_printf(&vals, "%s%s", i ? ", " : "", en->values[i].id);
            civr__ld_error(ld, file, node, CIVR_MSG(BAD_ENUM), en->name, s, vals.data ? vals.data : "");
            civr__buf_free(&vals);
            return false;
        }
        out->k = VK_ENUM;
        out->u.e = (uint32_t)v;
        return true;
    }
    case CT_SET: {
        if (!civr__ld_want(ld, file, node, CIVR_NODE_SEQ, "a set (a list of enum values)"))
            return false;
        uint64_t set = 0;
        for (size_t i = 0; i < node->u.seq.count; i++) {
            civr_val v;
            if (!civr__ld_field_value(ld, file, node->u.seq.items[i], field, civr__type_of(CT_ENUM, t.ref), &v))
                return false;
            set |= (uint64_t)1 << v.u.e;
        }
        out->k = VK_SET;
        out->u.set = set;
        return true;
    }
    default:
        civr__ld_error(ld, file, node, CIVR_MSG(UNWRITABLE_VALUE));
        return false;
    }
}
