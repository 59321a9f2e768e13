/* Public household API: parse, read, free. */
#include "household.h"

int civr_household_parse(civr_household **out, const civr_policy *policy, const char *text,
                         size_t len, civr_format format, const char *source, civr_error *err)
{
    if (!out || !policy || (!text && len))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out, a policy and a text");
    *out = NULL;
    int frc = civr__format_check(format, __func__, err);
    if (frc)
        return frc;
    civr_household *hh = civr__calloc(1, sizeof *hh);
    if (!hh)
        return civr__oom(err);
    civr__arena_init(&hh->arena, 8192);
    civr_doc doc;
    int rc = civr__doc_parse_auto(&doc, text ? text : "", len, format, source, &policy->limits,
                                  err);
    if (rc == 0)
        rc = civr__household_decode(hh, policy, &doc, &policy->limits, err);
    civr__doc_free(&doc);
    if (rc) {
        civr_household_free(hh);
        return rc;
    }
    *out = hh;
    return 0;
}

void civr_household_free(civr_household *hh)
{
    if (!hh)
        return;
    civr__arena_free(&hh->arena);
    civr__free(hh);
}

const char *civr_household_id(const civr_household *hh)
{
    return hh ? hh->id : NULL;
}

size_t civr_household_member_count(const civr_household *hh)
{
    return hh && hh->members ? hh->members->count : 0;
}

const char *civr_household_member_id(const civr_household *hh, size_t i)
{
    if (!hh || !hh->members || i >= hh->members->count)
        return NULL;
    const civr_rec *m = hh->members->items[i];
    const civr_rtype *rt = &hh->policy->rtypes[m->type];
    return rt->key_field >= 0 && m->fields[rt->key_field].k == VK_STR
               ? m->fields[rt->key_field].u.str.s
               : NULL;
}
