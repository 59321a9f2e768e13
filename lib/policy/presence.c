/*
 * Two household-wide rules that sit above the programs:
 *
 *   presence:            # who is out of the household on the evaluation date
 *     not_yet_born:
 *       when: m.birth_date > as_of
 *       reason: {code: ..., zh: ..., en: ..., basis: ...}
 *     died:
 *       when: any(s.kind in {'deceased'} and s.since < month_start(as_of) for s in m.situations)
 *       since: max(s.since for s in m.situations if s.kind == 'deceased')   # shown with the reason
 *       reason: {...}
 *
 *   choices:             # programs a member may not take together
 *     child_route:
 *       title: {zh: ..., en: ...}
 *       basis: ...
 *       stated: m.enrolment        # a map keyed by program id: the route the household chose
 *       routes:
 *         - {program: a, preferred: true, reason: {...}}   # reason: on the other routes' lines
 *         - {program: b, reason: {...}}
 *
 * A later layer replaces a rule's keys by name, or removes it with `name: null`.
 * Expressions here are about the member `m` and see neither facts nor programs.
 */
#include <stdio.h>

#include "../expr/expr.h"
#include "loader.h"

static const civr_expr *compile(civr_loader *ld, uint32_t file, const civr_node *node,
                                civr_type want)
{
    civr_policy *p = ld->pol;
    civr_error e = CIVR_ERROR_INIT;
    civr_cenv env = {0};
    env.policy = p;
    env.arena = &p->arena;
    env.doc = civr__ld_doc(ld, file);
    env.node = node;
    env.file = file;
    env.err = &e;
    env.member = true;
    env.nslots = &p->nslots;
    env.max_depth = p->limits.max_expr_depth;
    const civr_expr *out = NULL;
    civr_type t;
    int rc = want.kind == CT_VOID ? civr__expr_compile(&out, &t, &env)
                                  : civr__expr_compile_as(&out, want, &env);
    if (rc) {
        civr__ld_report(ld, &e);
        return NULL;
    }
    if (want.kind == CT_VOID && t.kind != CT_MAP) {
        civr__ld_error(ld, file, node, CIVR_MSG(EXPR_STATED_NOT_MAP));
        return NULL;
    }
    return out;
}

/* A declaration chain whose last word is `name: null` is removed. */
static bool removed(const civr_named *nm)
{
    return civr__node_is_null(nm->last->node);
}

static bool check_keys(civr_loader *ld, const civr_named *nm, const char *what,
                       const char *const *keys)
{
    bool ok = true;
    for (const civr_decl *d = nm->first; d; d = d->next)
        if (!civr__node_is_null(d->node))
            ok &= civr__ld_want(ld, d->file, d->node, CIVR_NODE_MAP, what) &&
                  civr__ld_keys(ld, d->file, d->node, what, keys);
    return ok;
}

/* The last value of `key` after the last removal. */
static const civr_pair *last_key(const civr_named *nm, const char *key, uint32_t *file)
{
    const civr_pair *found = NULL;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        if (civr__node_is_null(d->node)) {
            found = NULL;
            continue;
        }
        for (size_t i = 0; i < d->node->u.map.count; i++)
            if (civr__streq(d->node->u.map.pairs[i].key->u.scalar.text, key)) {
                found = &d->node->u.map.pairs[i];
                *file = d->file;
            }
    }
    return found;
}

void civr__ld_presence(civr_loader *ld)
{
    civr_policy *p = ld->pol;
    size_t n = ld->presence.count;
    int32_t members = civr__policy_field(&p->rtypes[CIVR_RTYPE_HOUSEHOLD], "members", 7);
    p->members_field = members >= 0 ? (uint32_t)members : UINT32_MAX;
    p->presence = civr__arena_array(&p->arena, n ? n : 1, sizeof *p->presence);
    if (!p->presence) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const civr_named *nm = &ld->presence.items[i];
        static const char *const keys[] = {"when", "since", "reason", "description", NULL};
        if (removed(nm) || !check_keys(ld, nm, "a presence rule", keys))
            continue;
        civr_presence *r = &p->presence[p->npresence];
        memset(r, 0, sizeof *r);
        r->id = nm->name;
        r->src = civr__ld_src(ld, nm->last->file, nm->last->key);
        r->layer = p->files[nm->last->file].layer;
        uint32_t f = nm->last->file;
        const civr_pair *pr;
        if (!(pr = last_key(nm, "when", &f)) || !(pr->value)) {
            civr__ld_error(ld, nm->last->file, nm->last->key, CIVR_MSG(MISSING_FIELD),
                           "a presence rule", "when");
            continue;
        }
        if (!(r->when = compile(ld, f, pr->value, civr__type_of(CT_BOOL, 0))))
            continue;
        if ((pr = last_key(nm, "since", &f)) && !civr__node_is_null(pr->value) &&
            !(r->since = compile(ld, f, pr->value, civr__type_of(CT_DATE, 0))))
            continue;
        if (!(pr = last_key(nm, "reason", &f))) {
            civr__ld_error(ld, nm->last->file, nm->last->key, CIVR_MSG(MISSING_FIELD),
                           "a presence rule", "reason");
            continue;
        }
        if (!(r->reason = civr__ld_reason(ld, f, pr->value, NULL)))
            continue;
        p->npresence++;
    }
}

static bool read_route(civr_loader *ld, civr_choice *ch, uint32_t file, const civr_node *node,
                       civr_route *rt)
{
    static const char *const keys[] = {"program", "preferred", "reason", NULL};
    if (!civr__ld_want(ld, file, node, CIVR_NODE_MAP, "a route") ||
        !civr__ld_keys(ld, file, node, "a route", keys))
        return false;
    const civr_node *pn = civr__node_get(node, "program"), *rn = civr__node_get(node, "reason"),
                    *pref = civr__node_get(node, "preferred");
    if (!pn || !rn) {
        civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), "a route", !pn ? "program" : "reason");
        return false;
    }
    const char *id = civr__node_text(pn);
    int32_t prog = id ? civr__policy_program(ld->pol, id, strlen(id)) : -1;
    if (prog < 0) {
        civr__ld_error(ld, file, pn, CIVR_MSG(UNKNOWN_NAME), "program", id ? id : "?", "");
        return false;
    }
    if (ld->pol->programs[prog].scope != CIVR_SCOPE_MEMBER) {
        civr__ld_error(ld, file, pn, CIVR_MSG(ROUTE_NOT_MEMBER));
        return false;
    }
    rt->program = (uint32_t)prog;
    if (pref && !civr__ld_bool(ld, file, pref, "preferred", &rt->preferred))
        return false;
    return (rt->reason = civr__ld_reason(ld, file, rn, ch->basis)) != NULL;
}

static void compile_choice(civr_loader *ld, const civr_named *nm, civr_choice *ch)
{
    civr_policy *p = ld->pol;
    ch->id = nm->name;
    ch->src = civr__ld_src(ld, nm->last->file, nm->last->key);
    ch->layer = p->files[nm->last->file].layer;
    uint32_t f = nm->last->file;
    const civr_pair *pr;
    if ((pr = last_key(nm, "title", &f)) && !civr__ld_text(ld, f, pr->value, "title", true, &ch->title))
        return;
    if (!(pr = last_key(nm, "basis", &f))) {
        civr__ld_error(ld, nm->last->file, nm->last->key, CIVR_MSG(MISSING_BASIS), "a choice");
        return;
    }
    if (!(ch->basis = civr__ld_string(ld, f, pr->value, "basis")))
        return;
    if ((pr = last_key(nm, "stated", &f)) && !civr__node_is_null(pr->value) &&
        !(ch->stated = compile(ld, f, pr->value, civr__type_of(CT_VOID, 0))))
        return;
    if (!(pr = last_key(nm, "routes", &f))) {
        civr__ld_error(ld, nm->last->file, nm->last->key, CIVR_MSG(MISSING_FIELD), "a choice", "routes");
        return;
    }
    const civr_node *routes = pr->value;
    if (!civr__ld_want(ld, f, routes, CIVR_NODE_SEQ, "routes"))
        return;
    if (routes->u.seq.count < 2 || routes->u.seq.count > CIVR_CHOICE_MAX_ROUTES) {
        civr__ld_error(ld, f, routes, CIVR_MSG(ROUTE_COUNT), CIVR_CHOICE_MAX_ROUTES,
                       routes->u.seq.count);
        return;
    }
    uint32_t npreferred = 0;
    for (size_t i = 0; i < routes->u.seq.count; i++) {
        civr_route *rt = &ch->routes[i];
        if (!read_route(ld, ch, f, routes->u.seq.items[i], rt))
            return;
        for (uint32_t k = 0; k < i; k++)
            if (ch->routes[k].program == rt->program) {
                civr__ld_error(ld, f, routes->u.seq.items[i], CIVR_MSG(ROUTE_TWICE));
                return;
            }
        npreferred += rt->preferred;
    }
    if (npreferred > 1) {
        civr__ld_error(ld, f, routes, CIVR_MSG(TWO_PREFERRED));
        return;
    }
    ch->nroutes = (uint32_t)routes->u.seq.count;
    if (npreferred == 0) /* a tie goes to the first route */
        ch->routes[0].preferred = true;
}

void civr__ld_choices(civr_loader *ld)
{
    civr_policy *p = ld->pol;
    size_t n = ld->choices.count;
    p->choices = civr__arena_array(&p->arena, n ? n : 1, sizeof *p->choices);
    if (!p->choices) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const civr_named *nm = &ld->choices.items[i];
        static const char *const keys[] = {"title", "basis", "stated", "routes", "description", NULL};
        if (removed(nm) || !check_keys(ld, nm, "a choice", keys))
            continue;
        civr_choice *ch = &p->choices[p->nchoices];
        memset(ch, 0, sizeof *ch);
        unsigned before = ld->nerrors;
        compile_choice(ld, nm, ch);
        if (ld->nerrors == before)
            p->nchoices++;
    }
    /* a member may face several choices; a program in two of them would
     * make the order of the choices matter */
    for (uint32_t a = 0; a < p->nchoices; a++)
        for (uint32_t b = a + 1; b < p->nchoices; b++)
            for (uint32_t i = 0; i < p->choices[a].nroutes; i++)
                for (uint32_t k = 0; k < p->choices[b].nroutes; k++)
                    if (p->choices[a].routes[i].program == p->choices[b].routes[k].program) {
                        civr_pos pos = civr__policy_pos(p, p->choices[b].src);
                        civr__ld_error_at(ld, &pos, CIVR_MSG(ROUTE_IN_TWO_CHOICES));
                        return;
                    }
}
