/*
 * Hooks of a program: Lua files attached at the hook points of a program
 *
 *   programs:
 *     a_program:
 *       hooks:
 *         after_eligibility:
 *           file: hooks/identity.lua   # relative to the declaring bundle
 *           basis: GB 11643-1999
 *           sets: [counted_income]     # before_eligibility: facts it may set
 *           illustrative: true         # an assumed local practice, marked in traces
 *
 * A later layer replaces a point's hook by declaring it again, or removes
 * it with `point: null`. Each file joins the policy's files (and so its
 * digest) and must compile as a Lua text chunk.
 */
#include <stdio.h>

#include "../hooks/compile.h"
#include "loader.h"

/* The fact of program `pg` named by scalar `node`, or -1. */
static int32_t fact_index(const civr_program *pg, const civr_node *node)
{
    const char *name = civr__node_text(node);
    for (uint32_t i = 0; name && i < pg->nfacts; i++)
        if (civr__streq(pg->facts[i].name, name))
            return (int32_t)i;
    return -1;
}

static bool read_sets(civr_loader *ld, uint32_t file, const civr_node *node, civr_program *pg,
                      civr_hook *h)
{
    if (!civr__ld_want(ld, file, node, CIVR_NODE_SEQ, "sets"))
        return false;
    if (node->u.seq.count > CIVR_HOOK_MAX_SETS) {
        civr__ld_error(ld, file, node, CIVR_MSG(HOOK_SETS_TOO_MANY));
        return false;
    }
    h->nsets = (uint32_t)node->u.seq.count;
    h->sets = civr__arena_array(&ld->pol->arena, h->nsets ? h->nsets : 1, sizeof *h->sets);
    if (!h->sets)
        return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY)), false;
    bool ok = true;
    for (uint32_t i = 0; i < h->nsets; i++) {
        const civr_node *n = node->u.seq.items[i];
        int32_t f = fact_index(pg, n);
        if (f < 0) {
            civr__ld_error(ld, file, n, CIVR_MSG(UNKNOWN_NAME), "fact", civr__node_text(n) ? civr__node_text(n) : "?",
                           " in this program");
            ok = false;
            continue;
        }
        const civr_fact *fact = &pg->facts[f];
        civr_tkind k = (civr_tkind)fact->type.kind;
        bool settable = k == CT_BOOL || k == CT_INT || k == CT_RATE || k == CT_MONEY ||
                        k == CT_DATE || k == CT_ENUM || k == CT_STRING;
        bool scope_ok = fact->per_member == (pg->scope == CIVR_SCOPE_MEMBER);
        if (!settable || !scope_ok || fact->fail) {
            if (!settable)
                civr__ld_error(ld, file, n, CIVR_MSG(HOOK_SETS_TYPE), fact->name);
            else if (fact->fail)
                civr__ld_error(ld, file, n, CIVR_MSG(HOOK_SETS_CHECK), fact->name);
            else if (pg->scope == CIVR_SCOPE_MEMBER)
                civr__ld_error(ld, file, n, CIVR_MSG(HOOK_SETS_HOUSEHOLD_FACT), fact->name);
            else
                civr__ld_error(ld, file, n, CIVR_MSG(HOOK_SETS_MEMBER_FACT), fact->name);
            ok = false;
            continue;
        }
        h->sets[i] = (uint32_t)f;
    }
    return ok;
}

/* Read one point's declaration into `h`. */
static bool read_hook(civr_loader *ld, uint32_t file, const civr_node *key, const civr_node *node,
                      civr_program *pg, uint8_t point, civr_hook *h)
{
    civr_policy *p = ld->pol;
    static const char *const keys[] = {"file", "basis", "sets", "illustrative", "description",
                                       NULL};
    if (!civr__ld_want(ld, file, node, CIVR_NODE_MAP, "a hook") ||
        !civr__ld_keys(ld, file, node, "a hook", keys))
        return false;
    h->point = point;
    h->layer = p->files[file].layer;
    h->src = civr__ld_src(ld, file, key);
    h->name = civr__arena_printf(&p->arena, "%s.%s", pg->id, civr__hook_point_names[point]);
    if (!h->name)
        return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY)), false;
    const civr_node *basis = civr__node_get(node, "basis");
    if (!basis) {
        civr__ld_error(ld, file, key, CIVR_MSG(MISSING_BASIS), "a hook");
        return false;
    }
    if (!(h->basis = civr__ld_string(ld, file, basis, "basis")))
        return false;
    const civr_node *ill = civr__node_get(node, "illustrative");
    if (ill && !civr__ld_bool(ld, file, ill, "illustrative", &h->illustrative))
        return false;
    const civr_node *sets = civr__node_get(node, "sets");
    if (sets && point != CIVR_HOOK_BEFORE_ELIGIBILITY) {
        civr__ld_error(ld, file, sets, CIVR_MSG(HOOK_SETS_WRONG_POINT));
        return false;
    }
    if (sets && !read_sets(ld, file, sets, pg, h))
        return false;
    const civr_node *src = civr__node_get(node, "file");
    if (!src) {
        civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), "a hook", "file");
        return false;
    }
    if (civr__ld_add_source(ld, file, src, &h->file) != 0)
        return false;
    const civr_file *lua = &p->files[h->file];
    char msg[CIVR_ERROR_MESSAGE_MAX];
    int rc = civr__hook_compile_check(lua->text, lua->len, lua->path, msg, sizeof msg);
    if (rc == -2)
        return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY)), false;
    if (rc != 0) {
        civr__ld_error(ld, file, src, CIVR_MSG(HOOK_COMPILE), h->name, msg);
        return false;
    }
    return true;
}

bool civr__ld_hooks(civr_loader *ld, const civr_named *nm, civr_program *pg)
{
    /* the last declaration of each point wins; null removes */
    const civr_node *decl[CIVR_HOOK_POINTS] = {0}, *keyn[CIVR_HOOK_POINTS] = {0};
    uint32_t file[CIVR_HOOK_POINTS] = {0};
    bool ok = true;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        const civr_node *hooks = civr__node_get(d->node, "hooks");
        if (!hooks || civr__node_is_null(hooks))
            continue;
        static const char *const points[] = {"before_eligibility", "after_eligibility",
                                             "after_amount", NULL};
        if (!civr__ld_want(ld, d->file, hooks, CIVR_NODE_MAP, "hooks") ||
            !civr__ld_keys(ld, d->file, hooks, "hooks", points)) {
            ok = false;
            continue;
        }
        for (uint8_t k = 0; k < CIVR_HOOK_POINTS; k++) {
            const civr_pair *pr = civr__node_pair(hooks, points[k]);
            if (!pr)
                continue;
            decl[k] = civr__node_is_null(pr->value) ? NULL : pr->value;
            keyn[k] = pr->key;
            file[k] = d->file;
        }
    }
    if (pg->scope == CIVR_SCOPE_SHARED) {
        for (uint8_t k = 0; k < CIVR_HOOK_POINTS; k++)
            if (decl[k]) {
                civr__ld_error(ld, file[k], keyn[k], CIVR_MSG(SHARED_PROGRAM_HOOKS));
                return false;
            }
        return ok;
    }
    civr_policy *p = ld->pol;
    for (uint8_t k = 0; k < CIVR_HOOK_POINTS && ok; k++) {
        if (!decl[k])
            continue;
        civr_hook *h = civr__arena_alloc(&p->arena, sizeof *h);
        const civr_hook **all = civr__arena_array(&p->arena, p->nhooks + 1, sizeof *all);
        if (!h || !all)
            return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY)), false;
        memset(h, 0, sizeof *h);
        if (!read_hook(ld, file[k], keyn[k], decl[k], pg, k, h)) {
            ok = false;
            continue;
        }
        if (p->nhooks)
            memcpy(all, p->hooks, p->nhooks * sizeof *all);
        h->index = p->nhooks;
        all[p->nhooks++] = h;
        p->hooks = all;
        pg->hooks[k] = h;
    }
    return ok;
}
