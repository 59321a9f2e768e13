/*
 * Programs: named facts (household facts and member facts, each an
 * expression), outcomes tried in order (status, amount, member lines,
 * reason), and the programs they depend on. Layers amend a program by
 * name: a fact or outcome keeps the keys a later layer does not give.
 *
 * Facts are compiled on first reference, which both gives every
 * expression the types of the facts it uses and finds cycles.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../expr/expr.h"
#include "loader.h"

/* A fact or outcome assembled from its declarations in several layers. */
typedef struct part {
    civr_named n;            /* name and the nodes, root layer first */
    bool per_member;
    bool is_table;           /* a program's table: a member fact whose value is a row */
    const civr_node *key;    /* first mention */
    uint32_t key_file;
    uint8_t state;           /* facts: 0 new, 1 compiling, 2 done, 3 failed */
} part;

typedef struct pctx {
    civr_loader *ld;
    civr_program *prog;
    part *facts;
    uint32_t nfacts;
    uint32_t *table_index; /* facts that are tables: their index in policy->tables */
    uint32_t stack[64]; /* facts being compiled, for cycle messages */
    uint32_t depth;
} pctx;

/* The last node of `key` among a part's declarations (a scalar fact is its `expr`). */
static const civr_node *last_of(const part *pt, const char *key, uint32_t *file)
{
    const civr_node *found = NULL;
    for (const civr_decl *d = pt->n.first; d; d = d->next) {
        const civr_node *n = d->node->kind == CIVR_NODE_MAP ? civr__node_get(d->node, key)
                             : civr__streq(key, "expr") ? d->node
                                                        : NULL;
        if (n) {
            found = n;
            *file = d->file;
        }
    }
    return found;
}

static int add_part(civr_loader *ld, part **parts, uint32_t *n, size_t *cap, const char *name,
                    uint32_t file, const civr_node *key, const civr_node *value, bool per_member,
                    bool is_table)
{
    part *pt = NULL;
    for (uint32_t i = 0; i < *n; i++)
        if (civr__streq((*parts)[i].n.name, name))
            pt = &(*parts)[i];
    if (pt && (pt->per_member != per_member || pt->is_table != is_table)) {
        civr__ld_error(ld, file, key, CIVR_MSG(NAME_KIND_CHANGED));
        return CIVR_EPOLICY;
    }
    if (!pt) {
        if (!civr__grow((void **)parts, cap, *n + 1, sizeof **parts))
            return civr__ld_error(ld, file, key, CIVR_MSG(NO_MEMORY));
        pt = &(*parts)[(*n)++];
        memset(pt, 0, sizeof *pt);
        pt->n.name = name;
        pt->per_member = per_member;
        pt->is_table = is_table;
        pt->key = key;
        pt->key_file = file;
    }
    civr_decl *d = civr__arena_zalloc(&ld->pol->arena, sizeof *d);
    if (!d)
        return civr__ld_error(ld, file, key, CIVR_MSG(NO_MEMORY));
    d->node = value;
    d->key = key;
    d->file = file;
    if (pt->n.last)
        pt->n.last->next = d;
    else
        pt->n.first = d;
    pt->n.last = d;
    return 0;
}

/* ---- reasons ------------------------------------------------------------------------- */

const civr_reason *civr__ld_reason(civr_loader *ld, uint32_t file, const civr_node *node,
                                   const char *default_basis)
{
    static const char *const keys[] = {"code", "zh", "en", "basis", NULL};
    if (!civr__ld_want(ld, file, node, CIVR_NODE_MAP, "a reason") ||
        !civr__ld_keys(ld, file, node, "a reason", keys))
        return NULL;
    civr_reason *r = civr__arena_zalloc(&ld->pol->arena, sizeof *r);
    if (!r)
        return NULL;
    r->src = civr__ld_src(ld, file, node);
    static const char *const need[] = {"code", "zh", "en"};
    for (size_t i = 0; i < 3; i++)
        if (!civr__node_get(node, need[i])) {
            civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), "a reason", need[i]);
            return NULL;
        }
    if (!(r->code = civr__ld_string(ld, file, civr__node_get(node, "code"), "code")) ||
        !(r->text.zh = civr__ld_string(ld, file, civr__node_get(node, "zh"), "zh")) ||
        !(r->text.en = civr__ld_string(ld, file, civr__node_get(node, "en"), "en")))
        return NULL;
    const civr_node *b = civr__node_get(node, "basis");
    r->basis = b ? civr__ld_string(ld, file, b, "basis") : default_basis;
    r->hash = civr__reason_hash(r);
    return r;
}

/* ---- compiling expressions ------------------------------------------------------------ */

static int compile_fact(pctx *pc, uint32_t i);
static int compile_program_table(pctx *pc, uint32_t i);

static int fact_cb(void *ud, const char *name, size_t len, const civr_pos *pos, uint32_t *index,
                   civr_type *type, bool *per_member)
{
    pctx *pc = ud;
    for (uint32_t i = 0; i < pc->nfacts; i++) {
        part *pt = &pc->facts[i];
        if (strlen(pt->n.name) != len || memcmp(pt->n.name, name, len) != 0)
            continue;
        if (pt->state == 1) {
            civr_buf path = CIVR_BUF_INIT;
            uint32_t from = 0;
            while (from < pc->depth && pc->stack[from] != i)
                from++;
            for (uint32_t k = from; k < pc->depth; k++)
                civr__buf_printf(&path, "%s → ", pc->facts[pc->stack[k]].n.name);
            civr__buf_puts(&path, pt->n.name);
            civr__ld_error_at(pc->ld, pos, CIVR_MSG(FACT_CYCLE), pt->n.name, path.data ? path.data : "");
            civr__buf_free(&path);
            return -1;
        }
        if (pt->state == 0 && compile_fact(pc, i) != 0)
            return -1;
        if (pt->state == 3)
            return -1;
        *index = i;
        *type = pc->prog->facts[i].type;
        *per_member = pt->per_member;
        return 1;
    }
    return 0;
}

static int program_cb(void *ud, const char *name, size_t len, const civr_pos *pos,
                      uint32_t *index)
{
    pctx *pc = ud;
    const civr_policy *p = pc->ld->pol;
    for (uint32_t i = 0; i < pc->prog->ndeps; i++) {
        const civr_program *d = &p->programs[pc->prog->deps[i]];
        if (strlen(d->id) == len && memcmp(d->id, name, len) == 0) {
            *index = d->index;
            return 1;
        }
    }
    char shown[80];
    snprintf(shown, sizeof shown, "%.*s", (int)(len < 60 ? len : 60), name);
    civr__ld_error_at(pc->ld, pos, CIVR_MSG(EXPR_UNDECLARED_PROGRAM), shown, pc->prog->id);
    return -1;
}

static const civr_expr *compile_expr(pctx *pc, uint32_t file, const civr_node *node, bool member,
                                     civr_type want, civr_type *got)
{
    civr_policy *p = pc->ld->pol;
    civr_error e = CIVR_ERROR_INIT;
    civr_cenv env = {0};
    env.policy = p;
    env.arena = &p->arena;
    env.doc = civr__ld_doc(pc->ld, file);
    env.node = node;
    env.file = file;
    env.err = &e;
    env.fact = fact_cb;
    env.program = program_cb;
    env.ud = pc;
    env.member = member;
    env.nslots = &p->nslots;
    env.max_depth = p->limits.max_expr_depth;
    const civr_expr *out = NULL;
    civr_type t;
    unsigned before = pc->ld->nerrors;
    int rc = want.kind == CT_VOID ? civr__expr_compile(&out, &t, &env)
                                  : civr__expr_compile_as(&out, want, &env);
    if (rc) {
        /* errors found by nested fact compiles are already reported */
        if (e.code && pc->ld->nerrors == before)
            civr__ld_report(pc->ld, &e);
        return NULL;
    }
    if (got)
        *got = want.kind == CT_VOID ? t : want;
    return out;
}

static int compile_fact(pctx *pc, uint32_t i)
{
    civr_loader *ld = pc->ld;
    part *pt = &pc->facts[i];
    civr_fact *f = &pc->prog->facts[i];
    if (pc->depth >= CIVR__COUNT(pc->stack)) {
        civr__ld_error(ld, pt->key_file, pt->key, CIVR_MSG(FACTS_TOO_DEEP));
        pt->state = 3;
        return -1;
    }
    pt->state = 1;
    pc->stack[pc->depth++] = i;
    uint32_t file = pt->key_file;
    if (pt->is_table) {
        int rc = compile_program_table(pc, i);
        pc->depth--;
        pt->state = rc == 0 ? 2 : 3;
        return rc;
    }
    const civr_node *expr = last_of(pt, "expr", &file);
    f->src = civr__ld_src(ld, file, expr ? expr : pt->key);
    f->layer = ld->pol->files[file].layer;
    uint32_t tfile;
    const civr_node *declared = last_of(pt, "type", &tfile);
    civr_type want = civr__type_of(CT_VOID, 0);
    if (!expr) {
        civr__ld_error(ld, pt->key_file, pt->key, CIVR_MSG(MISSING_FIELD), "a fact", "expr");
    } else if (!declared || civr__ld_type(ld, tfile, declared, &want)) {
        f->expr = compile_expr(pc, file, expr, pt->per_member, want, &f->type);
    }
    pc->depth--;
    pt->state = f->expr ? 2 : 3;
    if (f->expr && f->fail && f->type.kind != CT_BOOL) {
        civr__ld_error(ld, file, expr, CIVR_MSG(EXPR_CHECK_NOT_BOOL));
        pt->state = 3;
    }
    return pt->state == 2 ? 0 : -1;
}

/* ---- facts ----------------------------------------------------------------------------- */

static bool collect_facts(civr_loader *ld, const civr_named *nm, part **parts, uint32_t *n)
{
    size_t cap = 0;
    bool ok = true;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        static const char *const sections[] = {"facts", "member_facts", "tables"};
        for (size_t s = 0; s < 3; s++) {
            const civr_node *sec = civr__node_get(d->node, sections[s]);
            if (!sec || civr__node_is_null(sec))
                continue;
            if (!civr__ld_want(ld, d->file, sec, CIVR_NODE_MAP, sections[s])) {
                ok = false;
                continue;
            }
            for (size_t i = 0; i < sec->u.map.count; i++) {
                const civr_pair *pr = &sec->u.map.pairs[i];
                const char *name = pr->key->u.scalar.text;
                if (!civr__is_identifier(name, pr->key->u.scalar.len) || strchr(name, '.')) {
                    civr__ld_error(ld, d->file, pr->key, CIVR_MSG(BAD_FACT_NAME));
                    ok = false;
                    continue;
                }
                if (add_part(ld, parts, n, &cap, name, d->file, pr->key, pr->value, s >= 1, s == 2))
                    ok = false;
            }
        }
    }
    return ok;
}

static bool read_fact_settings(civr_loader *ld, civr_program *pg, part *pt, civr_fact *f)
{
    f->name = pt->n.name;
    f->per_member = pt->per_member;
    if (pt->is_table) /* checked when the table is read */
        return true;
    bool ok = true;
    for (const civr_decl *d = pt->n.first; d; d = d->next) {
        if (d->node->kind == CIVR_NODE_SCALAR)
            continue;
        static const char *const keys[] = {"expr", "type", "title", "show", "fail",
                                           "description", "basis", NULL};
        if (!civr__ld_want(ld, d->file, d->node, CIVR_NODE_MAP, "a fact") ||
            !civr__ld_keys(ld, d->file, d->node, "a fact", keys))
            ok = false;
    }
    if (!ok)
        return false;
    uint32_t file;
    const civr_node *n;
    if ((n = last_of(pt, "title", &file)) && !civr__ld_text(ld, file, n, "title", false, &f->title))
        return false;
    f->show = f->title.zh || f->title.en;
    if ((n = last_of(pt, "show", &file)) && !civr__ld_bool(ld, file, n, "show", &f->show))
        return false;
    if ((n = last_of(pt, "fail", &file)) && !civr__node_is_null(n) &&
        !(f->fail = civr__ld_reason(ld, file, n, pg->basis)))
        return false;
    if (f->show && f->per_member) {
        civr__ld_error(ld, pt->key_file, pt->key, CIVR_MSG(MEMBER_FACT_SHOWN));
        return false;
    }
    if (civr__policy_field(&ld->pol->rtypes[CIVR_RTYPE_HOUSEHOLD], pt->n.name, strlen(pt->n.name)) >= 0) {
        civr__ld_error(ld, pt->key_file, pt->key, CIVR_MSG(FACT_NAMES_FIELD));
        return false;
    }
    return true;
}

/* ---- outcomes ------------------------------------------------------------------------------ */

/* The items of list `key` (outcomes, stacking) across layers, by id; a new
 * item may ask for its place with before: or after: an existing one. */
static bool collect_by_id(civr_loader *ld, const civr_named *nm, const char *key, const char *what,
                          part **parts, uint32_t *n)
{
    size_t cap = 0;
    bool ok = true;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        const civr_node *list = civr__node_get(d->node, key);
        if (!list || civr__node_is_null(list))
            continue;
        if (!civr__ld_want(ld, d->file, list, CIVR_NODE_SEQ, key)) {
            ok = false;
            continue;
        }
        for (size_t i = 0; i < list->u.seq.count; i++) {
            const civr_node *o = list->u.seq.items[i];
            if (!civr__ld_want(ld, d->file, o, CIVR_NODE_MAP, what)) {
                ok = false;
                continue;
            }
            const civr_node *id = civr__node_get(o, "id");
            const char *ids = civr__node_text(id);
            if (!ids || civr__node_is_null(id)) {
                civr__ld_error(ld, d->file, o, CIVR_MSG(MISSING_FIELD), what, "id");
                ok = false;
                continue;
            }
            uint32_t before = *n;
            bool dup = false;
            for (uint32_t k = 0; k < *n; k++)
                dup |= civr__streq((*parts)[k].n.name, ids) && (*parts)[k].n.last->file == d->file;
            if (dup) {
                civr__ld_error(ld, d->file, id, CIVR_MSG(DUPLICATE_NAME), key, ids, "this program");
                ok = false;
                continue;
            }
            if (add_part(ld, parts, n, &cap, ids, d->file, id, o, false, false)) {
                ok = false;
                continue;
            }
            /* a new outcome may ask for a place: before: or after: an existing one */
            const civr_node *pl = civr__node_get(o, "before");
            bool after = false;
            if (!pl) {
                pl = civr__node_get(o, "after");
                after = pl != NULL;
            }
            if (pl && *n > before) {
                const char *target = civr__node_text(pl);
                uint32_t at;
                for (at = 0; at < before && !(target && civr__streq((*parts)[at].n.name, target)); at++)
                    ;
                if (at == before) {
                    civr__ld_error(ld, d->file, pl, CIVR_MSG(UNKNOWN_NAME), what,
                                   target ? target : "?", "");
                    ok = false;
                    continue;
                }
                at += after;
                part moved = (*parts)[*n - 1];
                memmove(&(*parts)[at + 1], &(*parts)[at], (*n - 1 - at) * sizeof **parts);
                (*parts)[at] = moved;
            }
        }
    }
    return ok;
}

static bool compile_outcome(pctx *pc, part *pt, civr_outcome *o)
{
    civr_loader *ld = pc->ld;
    civr_program *pg = pc->prog;
    bool member = pg->scope == CIVR_SCOPE_MEMBER; /* decided for each member `m` */
    bool ok = true;
    for (const civr_decl *d = pt->n.first; d; d = d->next) {
        static const char *const keys[] = {"id", "when", "status", "amount", "members", "reason",
                                           "before", "after", "description", NULL};
        static const char *const member_keys[] = {"id", "when", "status", "amount", "category",
                                                  "reason", "before", "after", "description", NULL};
        ok &= civr__ld_keys(ld, d->file, d->node,
                            member ? "an outcome of a member program" : "an outcome",
                            member ? member_keys : keys);
    }
    if (!ok)
        return false;
    o->id = pt->n.name;
    uint32_t file = pt->key_file;
    const civr_node *n;
    o->src = civr__ld_src(ld, pt->n.last->file, pt->n.last->node);
    o->layer = ld->pol->files[pt->n.last->file].layer;
    if (!(n = last_of(pt, "status", &file))) {
        civr__ld_error(ld, pt->key_file, pt->key, CIVR_MSG(MISSING_FIELD), "an outcome", "status");
        return false;
    }
    civr_val st;
    if (!civr__ld_value(ld, file, n, civr__type_of(CT_ENUM, CIVR_ENUM_STATUS), &st))
        return false;
    const civr_node *status_node = n;
    uint32_t status_file = file;
    o->status = (uint8_t)st.u.e;
    if ((n = last_of(pt, "when", &file)) && !civr__node_is_null(n))
        ok &= (o->when = compile_expr(pc, file, n, member, civr__type_of(CT_BOOL, 0), NULL)) != NULL;
    if ((n = last_of(pt, "amount", &file)))
        ok &= (o->amount = compile_expr(pc, file, n, member, civr__type_of(CT_MONEY, 0), NULL)) != NULL;
    if ((n = last_of(pt, "category", &file)) && !civr__node_is_null(n))
        ok &= (o->member_category = compile_expr(pc, file, n, true, civr__type_of(CT_VOID, 0), NULL)) != NULL;
    if ((n = last_of(pt, "reason", &file)) && !civr__node_is_null(n))
        ok &= (o->reason = civr__ld_reason(ld, file, n, pg->basis)) != NULL;
    if ((n = last_of(pt, "members", &file)) && !civr__node_is_null(n)) {
        static const char *const keys[] = {"for", "amount", "category", NULL};
        if (!civr__ld_want(ld, file, n, CIVR_NODE_MAP, "members") ||
            !civr__ld_keys(ld, file, n, "members", keys))
            return false;
        const civr_node *f = civr__node_get(n, "for"), *a = civr__node_get(n, "amount"),
                        *c = civr__node_get(n, "category");
        if (!f || !a) {
            civr__ld_error(ld, file, n, CIVR_MSG(MISSING_FIELD), "members", !f ? "for" : "amount");
            return false;
        }
        civr_type ft;
        ok &= (o->members_for = compile_expr(pc, file, f, false, civr__type_of(CT_VOID, 0), &ft)) != NULL;
        if (o->members_for && ft.kind != CT_LIST) {
            civr__ld_error(ld, file, f, CIVR_MSG(EXPR_FOR_NOT_MEMBERS), "members: for");
            ok = false;
        }
        ok &= (o->member_amount = compile_expr(pc, file, a, true, civr__type_of(CT_MONEY, 0), NULL)) != NULL;
        if (c)
            ok &= (o->member_category = compile_expr(pc, file, c, true, civr__type_of(CT_VOID, 0), NULL)) != NULL;
    }
    /* undetermined is the engine's word for "facts are missing"; a policy may
     * use it only to hold a case for verification, saying why, paying nothing */
    if (ok && o->status == CIVR_STATUS_UNDETERMINED &&
        (!o->reason || o->amount || o->members_for)) {
        civr__ld_error(ld, status_file, status_node, CIVR_MSG(UNDETERMINED_OUTCOME));
        return false;
    }
    return ok;
}

/* ---- stacking ---------------------------------------------------------------------------- */

static bool compile_stacking(pctx *pc, part *pt, civr_stacking *st)
{
    civr_loader *ld = pc->ld;
    bool ok = true;
    for (const civr_decl *d = pt->n.first; d; d = d->next) {
        static const char *const keys[] = {"id", "rule", "when", "other", "reason", "before",
                                           "after", "description", NULL};
        ok &= civr__ld_keys(ld, d->file, d->node, "a stacking rule", keys);
    }
    if (!ok)
        return false;
    st->id = pt->n.name;
    st->src = civr__ld_src(ld, pt->n.last->file, pt->n.last->node);
    st->layer = ld->pol->files[pt->n.last->file].layer;
    uint32_t file = pt->key_file;
    const civr_node *n = last_of(pt, "rule", &file);
    static const char *const rules[] = {"exclude", "take_higher", "top_up"};
    size_t r = 0;
    while (n && civr__node_text(n) && r < 3 && !civr__streq(civr__node_text(n), rules[r]))
        r++;
    if (!n || r == 3) {
        civr__ld_error(ld, file, n ? n : pt->key, CIVR_MSG(BAD_STACKING_RULE));
        return false;
    }
    st->rule = (uint8_t)r;
    if ((n = last_of(pt, "when", &file)) && !civr__node_is_null(n))
        ok &= (st->when = compile_expr(pc, file, n, true, civr__type_of(CT_BOOL, 0), NULL)) != NULL;
    n = last_of(pt, "other", &file);
    if (st->rule != CIVR_STACK_EXCLUDE && !n) {
        civr__ld_error(ld, pt->key_file, pt->key, CIVR_MSG(MISSING_FIELD),
                       "a take_higher or top_up rule", "other (the other benefit's amount)");
        return false;
    }
    if (n && st->rule == CIVR_STACK_EXCLUDE) {
        civr__ld_error(ld, file, n, CIVR_MSG(EXCLUDE_NO_OTHER));
        return false;
    }
    if (n)
        ok &= (st->other = compile_expr(pc, file, n, true, civr__type_of(CT_MONEY, 0), NULL)) != NULL;
    if (!(n = last_of(pt, "reason", &file))) {
        civr__ld_error(ld, pt->key_file, pt->key, CIVR_MSG(MISSING_FIELD), "a stacking rule",
                       "reason (it is shown to the household)");
        return false;
    }
    ok &= (st->reason = civr__ld_reason(ld, file, n, pc->prog->basis)) != NULL;
    return ok;
}

/* ---- a program's own tables ---------------------------------------------------------------- */

/* A program's table: rows whose `when` and outputs are expressions about the
 * member `m`, merged across layers by id like any table's rows. It is used
 * as a member fact: name(m) is the hit row. */
static int compile_program_table(pctx *pc, uint32_t i)
{
    civr_loader *ld = pc->ld;
    civr_policy *p = ld->pol;
    part *pt = &pc->facts[i];
    civr_fact *f = &pc->prog->facts[i];
    uint32_t tidx = pc->table_index[i];
    civr_table *t = &p->tables[tidx];
    civr_named named = pt->n;
    named.name = civr__arena_printf(&p->arena, "%s.%s", pc->prog->id, pt->n.name);
    if (!named.name || !civr__ld_table_header(ld, &named, t, true))
        return -1;
    civr_rowdecl *rows;
    size_t n;
    if (!civr__ld_merge_rows(ld, &pt->n, &rows, &n))
        return -1;
    t->rows = civr__arena_array(&p->arena, n ? n : 1, sizeof *t->rows);
    bool ok = t->rows != NULL;
    for (size_t r = 0; ok && r < n; r++) {
        civr_row *row = &t->rows[t->nrows];
        const civr_node *node = rows[r].node;
        uint32_t file = rows[r].file;
        memset(row, 0, sizeof *row);
        row->id = rows[r].id;
        row->src = civr__ld_src(ld, file, node);
        row->layer = p->files[file].layer;
        for (size_t k = 0; k < node->u.map.count; k++) {
            const char *key = node->u.map.pairs[k].key->u.scalar.text;
            bool known = civr__streq(key, "id") || civr__streq(key, "title") ||
                         civr__streq(key, "when") || civr__streq(key, "priority") ||
                         civr__streq(key, "before") || civr__streq(key, "basis") ||
                         civr__streq(key, "note");
            for (uint32_t o = 0; o < t->noutputs && !known; o++)
                known = civr__streq(key, t->outputs[o].name);
            if (!known) {
                civr__ld_error(ld, file, node->u.map.pairs[k].key, CIVR_MSG(UNKNOWN_FIELD), key,
                               " in a row of a program's table (id title when priority <outputs>)");
                ok = false;
            }
        }
        const civr_node *x;
        if ((x = civr__node_get(node, "title")))
            ok &= civr__ld_text(ld, file, x, "title", false, &row->title);
        if ((x = civr__node_get(node, "priority"))) {
            civr_val v;
            if ((ok &= civr__ld_value(ld, file, x, civr__type_of(CT_INT, 0), &v)))
                row->priority = (int32_t)v.u.n.n;
        }
        if (!(x = civr__node_get(node, "when"))) {
            civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), "a row of a program's table", "when");
            ok = false;
            continue;
        }
        ok &= (row->when = compile_expr(pc, file, x, true, civr__type_of(CT_BOOL, 0), NULL)) != NULL;
        row->output_exprs = civr__arena_array(&p->arena, t->noutputs ? t->noutputs : 1,
                                              sizeof *row->output_exprs);
        if (!row->output_exprs)
            ok = false;
        for (uint32_t o = 0; ok && o < t->noutputs && t->hit != CIVR_HIT_COLLECT_COUNT; o++) {
            if (!(x = civr__node_get(node, t->outputs[o].name))) {
                civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), "a row", t->outputs[o].name);
                ok = false;
                break;
            }
            ok &= (row->output_exprs[o] = compile_expr(pc, file, x, true, t->outputs[o].type, NULL)) != NULL;
        }
        t->nrows++;
    }
    civr__free(rows);
    if (!ok)
        return -1;
    /* the member fact: the table's hit for `m` */
    civr_expr *e = civr__arena_zalloc(&p->arena, sizeof *e);
    if (!e)
        return -1;
    e->op = OP_TABLE;
    e->type = civr__type_of(CT_ROW, (uint16_t)tidx);
    e->src = t->src;
    e->idx = tidx;
    e->name = t->name;
    f->expr = e;
    f->type = e->type;
    f->src = t->src;
    f->layer = p->files[pt->n.last->file].layer;
    return 0;
}

/* ---- programs and their order ---------------------------------------------------------- */

static int32_t named_index(const civr_namedset *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (civr__streq(set->items[i].name, name))
            return (int32_t)i;
    return -1;
}

/* Program dependencies as declared (`depends:` in any layer), by named index. */
static bool read_depends(civr_loader *ld, uint32_t **deps, uint32_t *ndeps)
{
    size_t n = ld->programs.count;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const civr_named *nm = &ld->programs.items[i];
        size_t cap = 0;
        for (const civr_decl *d = nm->first; d; d = d->next) {
            if (d->node->kind != CIVR_NODE_MAP)
                continue;
            const civr_node *dep = civr__node_get(d->node, "depends");
            if (!dep || civr__node_is_null(dep))
                continue;
            if (!civr__ld_want(ld, d->file, dep, CIVR_NODE_SEQ, "depends")) {
                ok = false;
                continue;
            }
            for (size_t k = 0; k < dep->u.seq.count; k++) {
                const char *t = civr__node_text(dep->u.seq.items[k]);
                int32_t j = t ? named_index(&ld->programs, t) : -1;
                if (j < 0) {
                    civr__ld_error(ld, d->file, dep->u.seq.items[k], CIVR_MSG(UNKNOWN_NAME), "program",
                                   t ? t : "?", "");
                    ok = false;
                    continue;
                }
                if (!civr__grow((void **)&deps[i], &cap, ndeps[i] + 1, sizeof **deps)) {
                    civr__ld_error(ld, d->file, dep, CIVR_MSG(NO_MEMORY));
                    return false;
                }
                deps[i][ndeps[i]++] = (uint32_t)j;
            }
        }
    }
    return ok;
}

/* Depth-first topological order; reports a cycle with its path. */
static bool visit(civr_loader *ld, uint32_t i, uint32_t **deps, const uint32_t *ndeps,
                  uint8_t *mark, uint32_t *order, uint32_t *norder, uint32_t *stack, uint32_t depth)
{
    if (mark[i] == 2)
        return true;
    stack[depth] = i;
    if (mark[i] == 1) {
        civr_buf path = CIVR_BUF_INIT;
        uint32_t from = 0;
        while (stack[from] != i)
            from++;
        for (uint32_t k = from; k <= depth; k++)
            civr__buf_printf(&path, "%s%s", k > from ? " → " : "", ld->programs.items[stack[k]].name);
        /* point at the edge of the cycle written by the most specific layer:
         * usually the one that was just added */
        const civr_node *at = ld->programs.items[i].first->key;
        uint32_t file = ld->programs.items[i].first->file;
        bool found = false;
        for (uint32_t k = from; k < depth; k++) {
            const civr_named *nm = &ld->programs.items[stack[k]];
            const char *to = ld->programs.items[stack[k + 1]].name;
            for (const civr_decl *d = nm->first; d; d = d->next) {
                const civr_node *dep = civr__node_get(d->node, "depends");
                for (size_t q = 0; dep && dep->kind == CIVR_NODE_SEQ && q < dep->u.seq.count; q++)
                    if (civr__node_text(dep->u.seq.items[q]) &&
                        civr__streq(civr__node_text(dep->u.seq.items[q]), to) &&
                        (!found || d->file > file)) {
                        at = dep->u.seq.items[q];
                        file = d->file;
                        found = true;
                    }
            }
        }
        civr__ld_error(ld, file, at, CIVR_MSG(PROGRAM_CYCLE), path.data ? path.data : "");
        civr__buf_free(&path);
        return false;
    }
    mark[i] = 1;
    for (uint32_t k = 0; k < ndeps[i]; k++)
        if (!visit(ld, deps[i][k], deps, ndeps, mark, order, norder, stack, depth + 1))
            return false;
    mark[i] = 2;
    order[(*norder)++] = i;
    return true;
}

static void compile_program(civr_loader *ld, const civr_named *nm, civr_program *pg)
{
    civr_policy *p = ld->pol;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        static const char *const keys[] = {"title", "basis", "depends", "scope", "for",
                                           "facts", "member_facts", "tables", "outcomes",
                                           "stacking", "hooks", "description", NULL};
        if (!civr__ld_want(ld, d->file, d->node, CIVR_NODE_MAP, "a program") ||
            !civr__ld_keys(ld, d->file, d->node, "a program", keys))
            return;
    }
    uint32_t f;
    const civr_pair *pr;
    if ((pr = civr__ld_last(nm, "title", &f)) && !civr__ld_text(ld, f, pr->value, "title", true, &pg->title))
        return;
    if (!(pr = civr__ld_last(nm, "basis", &f))) {
        civr__ld_error(ld, nm->first->file, nm->first->key, CIVR_MSG(MISSING_BASIS), "a program");
        return;
    }
    if (!(pg->basis = civr__ld_string(ld, f, pr->value, "basis")))
        return;
    if ((pr = civr__ld_last(nm, "scope", &f))) {
        const char *sc = civr__node_text(pr->value);
        if (sc && civr__streq(sc, "member")) {
            pg->scope = CIVR_SCOPE_MEMBER;
        } else if (sc && civr__streq(sc, "shared")) {
            pg->scope = CIVR_SCOPE_SHARED;
        } else if (!sc || !civr__streq(sc, "household")) {
            civr__ld_error(ld, f, pr->value, CIVR_MSG(BAD_SCOPE));
            return;
        }
    }
    pctx pc = {0};
    pc.ld = ld;
    pc.prog = pg;
    part *outs = NULL, *stacks = NULL;
    uint32_t nouts = 0, nstacks = 0;
    if (!collect_facts(ld, nm, &pc.facts, &pc.nfacts) ||
        !collect_by_id(ld, nm, "outcomes", "an outcome", &outs, &nouts) ||
        !collect_by_id(ld, nm, "stacking", "a stacking rule", &stacks, &nstacks))
        goto done;
    /* the program's own tables join the policy's (expressions refer to them by index) */
    uint32_t ntables = 0;
    for (uint32_t i = 0; i < pc.nfacts; i++)
        ntables += pc.facts[i].is_table;
    pc.table_index = civr__calloc(pc.nfacts ? pc.nfacts : 1, sizeof *pc.table_index);
    if (!pc.table_index)
        goto done;
    if (ntables) {
        civr_table *grown = civr__arena_array(&p->arena, p->ntables + ntables, sizeof *grown);
        if (!grown)
            goto done;
        memcpy(grown, p->tables, p->ntables * sizeof *grown);
        p->tables = grown;
        for (uint32_t i = 0; i < pc.nfacts; i++)
            if (pc.facts[i].is_table)
                pc.table_index[i] = p->ntables++;
    }
    pg->nfacts = pc.nfacts;
    pg->facts = civr__arena_array(&p->arena, pc.nfacts ? pc.nfacts : 1, sizeof *pg->facts);
    pg->outcomes = civr__arena_array(&p->arena, nouts ? nouts : 1, sizeof *pg->outcomes);
    pg->shown = civr__arena_array(&p->arena, pc.nfacts ? pc.nfacts : 1, sizeof *pg->shown);
    pg->checks = civr__arena_array(&p->arena, pc.nfacts ? pc.nfacts : 1, sizeof *pg->checks);
    if (!pg->facts || !pg->outcomes || !pg->shown || !pg->checks)
        goto done;
    bool ok = true;
    for (uint32_t i = 0; i < pc.nfacts; i++) {
        civr_fact *fact = &pg->facts[i];
        if (!read_fact_settings(ld, pg, &pc.facts[i], fact)) {
            pc.facts[i].state = 3;
            ok = false;
        }
        fact->slot = fact->per_member ? p->nmfacts++ : p->nhfacts++;
    }
    for (uint32_t i = 0; i < pc.nfacts; i++)
        if (pc.facts[i].state == 0)
            compile_fact(&pc, i);
    for (uint32_t i = 0; i < pc.nfacts; i++) {
        ok &= pc.facts[i].state == 2;
        if (pg->facts[i].show)
            pg->shown[pg->nshown++] = i;
        if (pg->facts[i].fail)
            pg->checks[pg->nchecks++] = i;
    }
    for (uint32_t i = 0; i < nouts; i++)
        ok &= compile_outcome(&pc, &outs[i], &pg->outcomes[pg->noutcomes++]);
    pg->stacking = civr__arena_array(&p->arena, nstacks ? nstacks : 1, sizeof *pg->stacking);
    if (!pg->stacking)
        goto done;
    for (uint32_t i = 0; i < nstacks; i++)
        ok &= compile_stacking(&pc, &stacks[i], &pg->stacking[pg->nstacking++]);
    if ((pr = civr__ld_last(nm, "for", &f))) {
        civr_type t;
        if (pg->scope != CIVR_SCOPE_MEMBER) {
            civr__ld_error(ld, f, pr->key, CIVR_MSG(FOR_NEEDS_MEMBER_SCOPE));
            ok = false;
        } else if ((pg->members_for = compile_expr(&pc, f, pr->value, false,
                                                   civr__type_of(CT_VOID, 0), &t)) &&
                   t.kind != CT_LIST) {
            civr__ld_error(ld, f, pr->value, CIVR_MSG(EXPR_FOR_NOT_MEMBERS), "for");
            ok = false;
        }
        ok &= pg->members_for != NULL;
    }
    if (ok)
        ok = civr__ld_hooks(ld, nm, pg);
    if (ok && pg->scope == CIVR_SCOPE_SHARED && (nouts || nstacks)) {
        civr__ld_error(ld, nm->first->file, nm->first->key, CIVR_MSG(SHARED_PROGRAM_DECIDES));
    } else if (ok && pg->scope != CIVR_SCOPE_SHARED) {
        if (nouts == 0 || pg->outcomes[nouts - 1].when) {
            civr__ld_error(ld, nm->first->file, nm->first->key, CIVR_MSG(NO_OUTCOME), pg->id);
        } else {
            for (uint32_t i = 0; i + 1 < nouts; i++)
                if (!pg->outcomes[i].when) {
                    civr_pos pos = civr__policy_pos(p, pg->outcomes[i + 1].src);
                    civr__ld_error_at(ld, &pos, CIVR_MSG(OUTCOME_UNREACHABLE));
                    break;
                }
        }
    }
done:
    civr__free(pc.facts);
    civr__free(pc.table_index);
    civr__free(outs);
    civr__free(stacks);
}

void civr__ld_programs(civr_loader *ld)
{
    civr_policy *p = ld->pol;
    size_t n = ld->programs.count;
    if (!p->nslots)
        p->nslots = 1; /* slot 0 holds `m` (tables' cells may have taken slots after it) */
    uint32_t **deps = civr__calloc(n ? n : 1, sizeof *deps);
    uint32_t *ndeps = civr__calloc(n ? n : 1, sizeof *ndeps);
    uint8_t *mark = civr__calloc(n ? n : 1, 1);
    uint32_t *order = civr__calloc(n ? n : 1, sizeof *order);
    uint32_t *stack = civr__calloc(n + 1, sizeof *stack);
    uint32_t norder = 0;
    if (!deps || !ndeps || !mark || !order || !stack) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        goto out;
    }
    if (!read_depends(ld, deps, ndeps))
        goto out;
    for (uint32_t i = 0; i < n; i++)
        if (!visit(ld, i, deps, ndeps, mark, order, &norder, stack, 0))
            goto out;
    p->programs = civr__arena_array(&p->arena, n ? n : 1, sizeof *p->programs);
    if (!p->programs) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        goto out;
    }
    p->nprograms = (uint32_t)n;
    uint32_t *where = civr__calloc(n ? n : 1, sizeof *where);
    if (!where) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        goto out;
    }
    for (uint32_t k = 0; k < n; k++)
        where[order[k]] = k;
    for (uint32_t k = 0; k < n; k++) {
        civr_program *pg = &p->programs[k];
        const civr_named *nm = &ld->programs.items[order[k]];
        pg->id = nm->name;
        pg->index = k;
        pg->src = civr__ld_src(ld, nm->first->file, nm->first->key);
        pg->ndeps = ndeps[order[k]];
        pg->deps = civr__arena_array(&p->arena, pg->ndeps ? pg->ndeps : 1, sizeof *pg->deps);
        if (!pg->deps) {
            civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
            break;
        }
        for (uint32_t j = 0; j < pg->ndeps; j++)
            pg->deps[j] = where[deps[order[k]][j]];
    }
    for (uint32_t k = 0; k < n; k++)
        compile_program(ld, &ld->programs.items[order[k]], &p->programs[k]);
    /* results list programs as the bundle declares them (first mention), not
     * in the order dependencies impose */
    p->reported = civr__arena_array(&p->arena, n ? n : 1, sizeof *p->reported);
    for (uint32_t i = 0; p->reported && i < n; i++)
        if (p->programs[where[i]].scope != CIVR_SCOPE_SHARED)
            p->reported[p->nreported++] = where[i];
    civr__free(where);
out:
    for (size_t i = 0; deps && i < n; i++)
        civr__free(deps[i]);
    civr__free(deps);
    civr__free(ndeps);
    civr__free(mark);
    civr__free(order);
    civr__free(stack);
}
