/*
 * Loading a bundle: follow `extends` to the root, read every layer's files
 * root first, collect the declarations of each name across layers, then
 * compile phase by phase. Errors are reported with file:line:col and the
 * loader goes on, so that `civrules check` shows every problem at once.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/sha256.h"
#include "loader.h"

/* ---- diagnostics ----------------------------------------------------------------- */

const civr_doc *civr__ld_doc(civr_loader *ld, uint32_t file)
{
    return &ld->pol->files[file].doc;
}

civr_src civr__ld_src(civr_loader *ld, uint32_t file, const civr_node *node)
{
    civr_src s = {file, node ? node->line : 0, node ? node->column : 0};
    CIVR__UNUSED(ld);
    return s;
}

int civr__ld_report(civr_loader *ld, civr_error *e)
{
    /* a node reached several times (a YAML alias of an anchor used in three
     * places) gives its mistake once, at the anchor */
    if (e->line) {
        char key[CIVR_ERROR_SOURCE_MAX + CIVR_ERROR_MESSAGE_MAX + 48];
        snprintf(key, sizeof key, "\n%d %u:%u %s %s\n", e->id, e->line, e->column, e->source,
                 e->message);
        if (ld->reported.data && strstr(ld->reported.data, key))
            return e->code;
        civr__buf_puts(&ld->reported, key);
    }
    ld->nerrors++;
    if (ld->opts && ld->opts->on_diagnostic)
        ld->opts->on_diagnostic(ld->opts->userdata, CIVR_SEVERITY_ERROR, e);
    if (ld->rc == 0) {
        ld->rc = e->code;
        if (ld->err && ld->err->code == CIVR_OK)
            *ld->err = *e;
    }
    return e->code;
}

int civr__ld_error_at(civr_loader *ld, const civr_pos *pos, civr_msg m, const char *fmt, ...)
{
    civr_error e = CIVR_ERROR_INIT;
    va_list ap;
    va_start(ap, fmt);
    civr__vfail(&e, pos, m, fmt, ap);
    va_end(ap);
    return civr__ld_report(ld, &e);
}

int civr__ld_error(civr_loader *ld, uint32_t file, const civr_node *node, civr_msg m, const char *fmt, ...)
{
    civr_pos pos = node ? civr__doc_pos(civr__ld_doc(ld, file), node)
                        : (civr_pos){ld->pol->files[file].path, 0, 0, 0};
    civr_error e = CIVR_ERROR_INIT;
    va_list ap;
    va_start(ap, fmt);
    civr__vfail(&e, &pos, m, fmt, ap);
    va_end(ap);
    return civr__ld_report(ld, &e);
}

/* ---- small readers shared by the phases ----------------------------------------------- */

bool civr__ld_want(civr_loader *ld, uint32_t file, const civr_node *node, civr_node_kind kind,
                   const char *what)
{
    if (node && node->kind == kind && !(kind == CIVR_NODE_SCALAR && civr__node_is_null(node)))
        return true;
    static const char *names[] = {"a text", "a list", "a mapping"};
    civr__ld_error(ld, file, node, CIVR_MSG(WRONG_TYPE), what, names[kind], civr__node_describe(node));
    return false;
}

bool civr__ld_keys(civr_loader *ld, uint32_t file, const civr_node *map, const char *what,
                   const char *const *allowed)
{
    bool ok = true;
    for (size_t i = 0; map && map->kind == CIVR_NODE_MAP && i < map->u.map.count; i++) {
        const civr_node *k = map->u.map.pairs[i].key;
        size_t j;
        for (j = 0; allowed[j]; j++)
            if (civr__streq(allowed[j], k->u.scalar.text))
                break;
        if (!allowed[j]) {
            civr_buf list = CIVR_BUF_INIT;
            civr__buf_printf(&list, " in %s (allowed: ", what);
            for (j = 0; allowed[j]; j++)
                civr__buf_printf(&list, "%s%s", j ? ", " : "", allowed[j]);
            civr__buf_putc(&list, ')');
            civr__ld_error(ld, file, k, CIVR_MSG(UNKNOWN_FIELD), k->u.scalar.text,
                           list.data ? list.data : "");
            civr__buf_free(&list);
            ok = false;
        }
    }
    return ok;
}

const char *civr__ld_string(civr_loader *ld, uint32_t file, const civr_node *node,
                            const char *what)
{
    if (!civr__ld_want(ld, file, node, CIVR_NODE_SCALAR, what))
        return NULL;
    const char *s = civr__arena_strndup(&ld->pol->arena, node->u.scalar.text, node->u.scalar.len);
    if (!s)
        civr__ld_error(ld, file, node, CIVR_MSG(NO_MEMORY));
    return s;
}

bool civr__ld_text(civr_loader *ld, uint32_t file, const civr_node *node, const char *what,
                   bool required, civr_text *out)
{
    out->zh = out->en = NULL;
    if (!node)
        return !required;
    if (!civr__ld_want(ld, file, node, CIVR_NODE_MAP, what))
        return false;
    static const char *const keys[] = {"zh", "en", NULL};
    if (!civr__ld_keys(ld, file, node, what, keys))
        return false;
    const civr_node *zh = civr__node_get(node, "zh"), *en = civr__node_get(node, "en");
    if (zh && !(out->zh = civr__ld_string(ld, file, zh, "zh")))
        return false;
    if (en && !(out->en = civr__ld_string(ld, file, en, "en")))
        return false;
    if (required && (!zh || !en)) {
        civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), what, !zh ? "zh" : "en");
        return false;
    }
    return true;
}

bool civr__ld_bool(civr_loader *ld, uint32_t file, const civr_node *node, const char *what,
                   bool *out)
{
    const char *t = civr__node_text(node);
    if (t && node->style == CIVR_STYLE_PLAIN && (civr__streq(t, "true") || civr__streq(t, "false"))) {
        *out = civr__streq(t, "true");
        return true;
    }
    civr__ld_error(ld, file, node, CIVR_MSG(BAD_BOOL), what, t ? t : civr__node_describe(node));
    return false;
}

/* The slot of `name` in the set's table: where it is, or the free one where it goes. */
static uint32_t *named_slot(civr_namedset *set, const char *name)
{
    size_t mask = set->nslots - 1;
    for (size_t i = civr__hash(name, strlen(name)) & mask;; i = (i + 1) & mask) {
        uint32_t *s = &set->slots[i];
        if (!*s || civr__streq(set->items[*s - 1].name, name))
            return s;
    }
}

int civr__ld_declare(civr_loader *ld, civr_namedset *set, uint32_t file, const civr_node *key,
                     const civr_node *value)
{
    const char *name = key->u.scalar.text;
    civr_named *n = NULL;
    if (2 * (set->count + 1) > set->nslots) { /* grow the table and place every name again */
        size_t nslots = set->nslots ? set->nslots * 2 : 64;
        uint32_t *slots = civr__calloc(nslots, sizeof *slots);
        if (!slots)
            return civr__ld_error(ld, file, key, CIVR_MSG(NO_MEMORY));
        civr__free(set->slots);
        set->slots = slots;
        set->nslots = nslots;
        for (size_t i = 0; i < set->count; i++)
            *named_slot(set, set->items[i].name) = (uint32_t)i + 1;
    }
    uint32_t *slot = named_slot(set, name);
    if (*slot)
        n = &set->items[*slot - 1];
    if (!n) {
        if (!civr__grow((void **)&set->items, &set->cap, set->count + 1, sizeof *set->items))
            return civr__ld_error(ld, file, key, CIVR_MSG(NO_MEMORY));
        *slot = (uint32_t)set->count + 1;
        n = &set->items[set->count++];
        n->name = name;
        n->first = n->last = NULL;
    } else if (ld->pol->files[n->last->file].layer == ld->pol->files[file].layer) {
        civr_buf at = CIVR_BUF_INIT;
        civr_src s = civr__ld_src(ld, n->last->file, n->last->key);
        civr__policy_where(ld->pol, s, &at);
        civr__ld_error(ld, file, key, CIVR_MSG(DUPLICATE_NAME), "name", name,
                       at.data ? at.data : "");
        civr__buf_free(&at);
        return CIVR_EPOLICY;
    }
    civr_decl *d = civr__arena_zalloc(&ld->pol->arena, sizeof *d);
    if (!d)
        return civr__ld_error(ld, file, key, CIVR_MSG(NO_MEMORY));
    d->node = value;
    d->key = key;
    d->file = file;
    if (n->last)
        n->last->next = d;
    else
        n->first = d;
    n->last = d;
    return 0;
}

void civr__ld_namedset_free(civr_namedset *set)
{
    civr__free(set->items);
    civr__free(set->slots);
    set->items = NULL;
    set->slots = NULL;
    set->count = set->cap = set->nslots = 0;
}

const civr_pair *civr__ld_last(const civr_named *n, const char *key, uint32_t *file)
{
    const civr_pair *found = NULL;
    for (const civr_decl *d = n->first; d; d = d->next) {
        const civr_pair *p = civr__node_pair(d->node, key);
        if (p) {
            found = p;
            if (file)
                *file = d->file;
        }
    }
    return found;
}

/* ---- files and layers -------------------------------------------------------------------- */

/* Is `path` (a file a bundle names) inside the folder of `layer` once links
 * are followed? A link that leads outside would let a bundle read any
 * file the loading process can. A path that does not resolve is left to
 * the read to report. */
static bool inside_layer(civr_loader *ld, const char *path, uint32_t layer)
{
    char *real = realpath(path, NULL);
    if (!real)
        return true;
    char *root = realpath(ld->pol->layers[layer].dir, NULL);
    size_t n = root ? strlen(root) : 0;
    bool inside = root && strncmp(real, root, n) == 0 && (real[n] == '/' || n == 1);
    free(real);
    free(root);
    return inside;
}

/* Read file `path` of `layer` into a new entry of the policy's files. A
 * file that cannot be read is reported at `named_at` (its name in YAML file
 * `named_in`) when given. 0, or the error reported. */
static int read_text(civr_loader *ld, const char *path, uint32_t layer, uint32_t named_in,
                     const civr_node *named_at, civr_file **out)
{
    civr_policy *p = ld->pol;
    civr_file *files = civr__realloc(p->files, (p->nfiles + 1) * sizeof *files);
    if (!files) /* grown one by one: files are few */
        return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
    p->files = files;
    civr_file *f = &files[p->nfiles++];
    memset(f, 0, sizeof *f);
    civr__arena_init(&f->doc.arena, 1024); /* so that freeing is safe even if unread */
    f->layer = layer;
    f->path = civr__arena_strdup(&p->arena, path);
    if (!f->path)
        return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
    civr_error e = CIVR_ERROR_INIT;
    if (named_at && !inside_layer(ld, path, layer))
        return civr__ld_error(ld, named_in, named_at, CIVR_MSG(READ_FAILED), path,
                              "it is a link that leads outside the bundle's folder");
    int rc = civr__read_file(path, p->limits.max_text_bytes, &f->text, &f->len, &e);
    if (rc == CIVR_EIO && named_at) {
        const char *why = strstr(e.message, "': ");
        return civr__ld_error(ld, named_in, named_at, CIVR_MSG(READ_FAILED), path,
                              why ? why + 3 : e.message);
    }
    if (rc)
        return civr__ld_report(ld, &e);
    *out = f;
    return 0;
}

/* Read and parse a YAML file of `layer` (see read_text). */
static int add_file(civr_loader *ld, const char *path, uint32_t layer, uint32_t *index,
                    uint32_t named_in, const civr_node *named_at)
{
    civr_policy *p = ld->pol;
    civr_file *f;
    int rc = read_text(ld, path, layer, named_in, named_at, &f);
    if (rc)
        return rc;
    civr_error e = CIVR_ERROR_INIT;
    civr__doc_free(&f->doc);
    if (civr__doc_parse_yaml(&f->doc, f->text, f->len, f->path, &p->limits, &e) != 0)
        return civr__ld_report(ld, &e);
    if (f->doc.root && f->doc.root->kind != CIVR_NODE_MAP) { /* an empty file declares nothing */
        civr_pos pos = {f->path, 1, 1, 0};
        return civr__ld_error_at(ld, &pos, CIVR_MSG(WRONG_TYPE), "the file", "a mapping",
                                 civr__node_describe(f->doc.root));
    }
    *index = p->nfiles - 1;
    return 0;
}

/* Collect a policy file's sections into the loader's named sets. */
static void collect(civr_loader *ld, uint32_t file)
{
    const civr_node *root = ld->pol->files[file].doc.root;
    if (!root)
        return;
    static const char *const sections[] = {"enums",    "schema",   "parameters", "tables", "programs",
                                           "presence", "choices",  "calendar",   NULL};
    civr__ld_keys(ld, file, root, "a policy file", sections);
    civr__ld_calendar(ld, file, civr__node_get(root, "calendar"));
    civr_namedset *sets[] = {&ld->enums,    &ld->records,  &ld->params, &ld->tables,
                             &ld->programs, &ld->presence, &ld->choices};
    for (size_t s = 0; s < CIVR__COUNT(sets); s++) {
        const civr_node *sec = civr__node_get(root, sections[s]);
        if (!sec || civr__node_is_null(sec))
            continue;
        if (!civr__ld_want(ld, file, sec, CIVR_NODE_MAP, sections[s]))
            continue;
        for (size_t i = 0; i < sec->u.map.count; i++) {
            const civr_pair *pr = &sec->u.map.pairs[i];
            const char *name = pr->key->u.scalar.text;
            if (!civr__is_identifier(name, pr->key->u.scalar.len)) {
                civr__ld_error(ld, file, pr->key, CIVR_MSG(BAD_NAME));
                continue;
            }
            civr__ld_declare(ld, sets[s], file, pr->key, pr->value);
        }
    }
}

/* Remove "." parts, repeated slashes and "x/.." pairs, lexically and in
 * place (a path in messages should be short). Reentrant: loading runs on
 * many threads at once (strtok's hidden state corrupted paths and heaps),
 * and any number of parts is kept. */
static void normalise_path(char *s)
{
    bool abs = s[0] == '/';
    char *base = s + abs; /* the output's parts start here */
    char *out = base;     /* end of the output: never past `in` */
    const char *in = base;
    while (*in) {
        while (*in == '/')
            in++;
        if (!*in)
            break;
        const char *end = strchr(in, '/');
        size_t l = end ? (size_t)(end - in) : strlen(in);
        /* the last part written: from the slash before it (or base) to out */
        char *last = out;
        while (last > base && last[-1] != '/')
            last--;
        bool last_is_up = out - last == 2 && last[0] == '.' && last[1] == '.';
        if (l == 1 && in[0] == '.') {
            /* nothing */
        } else if (l == 2 && in[0] == '.' && in[1] == '.' && out > base && !last_is_up) {
            out = last > base ? last - 1 : base; /* drop the part and its slash */
        } else {
            if (out > base)
                *out++ = '/';
            memmove(out, in, l);
            out += l;
        }
        in += l;
    }
    if (out == s)
        *out++ = '.';
    *out = '\0';
}

static char *join_path(const char *dir, const char *name)
{
    if (name[0] == '/') /* an absolute path stands alone */
        dir = "";
    size_t a = strlen(dir), b = strlen(name);
    char *s = civr__malloc(a + b + 2);
    if (!s)
        return NULL;
    memcpy(s, dir, a);
    s[a] = '/';
    memcpy(s + a + 1, name, b + 1);
    normalise_path(s);
    return s;
}

static bool safe_relative(const char *name)
{
    if (!name[0] || name[0] == '/')
        return false;
    for (const char *p = name; *p; p++)
        if (p[0] == '.' && p[1] == '.' && (p == name || p[-1] == '/') && (p[2] == '/' || !p[2]))
            return false;
    return true;
}

int civr__ld_add_source(civr_loader *ld, uint32_t named_in, const civr_node *name,
                        uint32_t *index)
{
    civr_policy *p = ld->pol;
    if (!civr__ld_want(ld, named_in, name, CIVR_NODE_SCALAR, "a file name"))
        return CIVR_EPOLICY;
    if (!safe_relative(name->u.scalar.text))
        return civr__ld_error(ld, named_in, name, CIVR_MSG(FILE_OUTSIDE_BUNDLE));
    uint32_t layer = p->files[named_in].layer;
    char *path = join_path(p->layers[layer].dir, name->u.scalar.text);
    if (!path)
        return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
    civr_file *f;
    int rc = read_text(ld, path, layer, named_in, name, &f);
    civr__free(path);
    if (rc == 0)
        *index = p->nfiles - 1;
    return rc;
}

/* `regions:` of a bundle.yaml: a list of distinct six-digit division codes
 * (GB/T 2260), a county, a city (ending 00) or a province (ending 0000). */
static void read_regions(civr_loader *ld, uint32_t bf, const civr_node *node, civr_layer *l)
{
    if (!node || civr__node_is_null(node))
        return;
    if (!civr__ld_want(ld, bf, node, CIVR_NODE_SEQ, "regions"))
        return;
    size_t n = node->u.seq.count;
    const char **regions = n ? civr__arena_zalloc(&ld->pol->arena, n * sizeof *regions) : NULL;
    if (n && !regions) {
        civr__ld_error(ld, bf, node, CIVR_MSG(NO_MEMORY));
        return;
    }
    uint32_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const civr_node *r = node->u.seq.items[i];
        if (!civr__ld_want(ld, bf, r, CIVR_NODE_SCALAR, "a division code"))
            continue;
        const char *t = r->u.scalar.text;
        bool ok = r->u.scalar.len == 6 && r->style != CIVR_STYLE_PLAIN;
        for (size_t j = 0; ok && j < 6; j++)
            ok = t[j] >= '0' && t[j] <= '9';
        if (!ok || t[0] == '0') {
            civr__ld_error(ld, bf, r, CIVR_MSG(BAD_REGION_CODE));
            continue;
        }
        bool dup = false;
        for (uint32_t j = 0; j < count; j++)
            dup = dup || civr__streq(regions[j], t);
        if (dup) {
            civr__ld_error(ld, bf, r, CIVR_MSG(REGION_LISTED_TWICE));
            continue;
        }
        if (!(regions[count++] = civr__ld_string(ld, bf, r, "a division code")))
            return;
    }
    l->regions = regions;
    l->nregions = count;
}

/* Read one layer's bundle.yaml and files. `*parent` receives the extends dir (malloc'd). */
static int read_layer(civr_loader *ld, const char *dir, uint32_t layer, char **parent)
{
    civr_policy *p = ld->pol;
    *parent = NULL;
    char *bpath = join_path(dir, "bundle.yaml");
    if (!bpath)
        return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
    uint32_t bf;
    int rc = add_file(ld, bpath, layer, &bf, 0, NULL);
    civr__free(bpath);
    if (rc)
        return rc;
    const civr_node *root = p->files[bf].doc.root;
    if (!root) {
        civr_pos pos = {p->files[bf].path, 1, 1, 0};
        return civr__ld_error_at(ld, &pos, CIVR_MSG(MISSING_FIELD), "bundle.yaml", "id");
    }
    static const char *const keys[] = {"id", "title", "version", "extends", "files",
                                       "description", "basis", "valid_from", "valid_until",
                                       "regions", NULL};
    civr__ld_keys(ld, bf, root, "bundle.yaml", keys);
    civr_layer *l = &p->layers[layer];
    l->dir = civr__arena_strdup(&p->arena, dir);
    const civr_node *id = civr__node_get(root, "id");
    if (!id)
        civr__ld_error(ld, bf, root, CIVR_MSG(MISSING_FIELD), "bundle.yaml", "id");
    else
        l->id = civr__ld_string(ld, bf, id, "id");
    const civr_node *version = civr__node_get(root, "version");
    if (!version)
        civr__ld_error(ld, bf, root, CIVR_MSG(MISSING_FIELD), "bundle.yaml", "version");
    else
        l->version = civr__ld_string(ld, bf, version, "version");
    civr_text title;
    if (civr__ld_text(ld, bf, civr__node_get(root, "title"), "title", true, &title)) {
        l->title_zh = title.zh;
        l->title_en = title.en;
    }
    read_regions(ld, bf, civr__node_get(root, "regions"), l);
    const civr_pair *vf = civr__node_pair(root, "valid_from");
    const civr_node *vu = civr__node_get(root, "valid_until");
    civr_val d;
    if (vf && civr__ld_field_value(ld, bf, vf->value, "valid_from", civr__type_of(CT_DATE, 0), &d)) {
        l->has_valid_from = true;
        l->valid_from = d.u.date;
        l->valid_src = civr__ld_src(ld, bf, vf->key);
    }
    if (vu && !civr__node_is_null(vu) &&
        civr__ld_field_value(ld, bf, vu, "valid_until", civr__type_of(CT_DATE, 0), &d)) {
        if (!vf)
            civr__ld_error(ld, bf, vu, CIVR_MSG(VALID_UNTIL_ALONE));
        else if (l->has_valid_from && d.u.date < l->valid_from)
            civr__ld_error(ld, bf, vu, CIVR_MSG(VALID_UNTIL_BEFORE));
        else {
            l->has_valid_until = true;
            l->valid_until = d.u.date;
        }
    }
    const civr_node *ext = civr__node_get(root, "extends");
    if (ext && !civr__node_is_null(ext)) {
        const char *e = civr__ld_string(ld, bf, ext, "extends");
        if (e && !(*parent = join_path(dir, e)))
            return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
    }
    const civr_node *files = civr__node_get(root, "files");
    if (!files || civr__node_is_null(files))
        return 0;
    if (!civr__ld_want(ld, bf, files, CIVR_NODE_SEQ, "files"))
        return 0;
    for (size_t i = 0; i < files->u.seq.count; i++) {
        const civr_node *fn = files->u.seq.items[i];
        if (!civr__ld_want(ld, bf, fn, CIVR_NODE_SCALAR, "a file name"))
            continue;
        if (!safe_relative(fn->u.scalar.text)) {
            civr__ld_error(ld, bf, fn, CIVR_MSG(FILE_OUTSIDE_BUNDLE));
            continue;
        }
        char *path = join_path(dir, fn->u.scalar.text);
        if (!path)
            return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        uint32_t f;
        rc = add_file(ld, path, layer, &f, bf, fn);
        civr__free(path);
        if (rc == 0)
            collect(ld, f);
    }
    return 0;
}

/* Follow `extends` from `dir` up to the root; returns the dirs root first. */
static int chain(civr_loader *ld, const char *dir, char ***dirs, uint32_t *n)
{
    char **list = NULL;
    char **real = NULL;
    uint32_t count = 0;
    int rc = 0;
    char *cur = civr__malloc(strlen(dir) + 2);
    if (!cur)
        return civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
    strcpy(cur, dir);
    normalise_path(cur);
    while (cur) {
        if (count >= ld->pol->limits.max_layers) {
            civr_pos pos = {cur, 0, 0, 0};
            rc = civr__ld_error_at(ld, &pos, CIVR_MSG(TOO_MANY_LAYERS), ld->pol->limits.max_layers);
            civr__free(cur);
            break;
        }
        char *r = realpath(cur, NULL);
        if (!r) {
            civr_pos pos = {cur, 0, 0, 0};
            char why[128];
            rc = civr__ld_error_at(ld, &pos, CIVR_MSG(READ_FAILED), cur,
                                   civr__errno_text(errno, why, sizeof why));
            civr__free(cur);
            break;
        }
        for (uint32_t i = 0; i < count && rc == 0; i++)
            if (civr__streq(real[i], r)) {
                civr_pos pos = {cur, 0, 0, 0};
                rc = civr__ld_error_at(ld, &pos, CIVR_MSG(EXTENDS_CYCLE), cur);
            }
        char **nl = civr__realloc(list, (count + 1) * sizeof *nl);
        char **nr = nl ? civr__realloc(real, (count + 1) * sizeof *nr) : NULL;
        if (nl)
            list = nl;
        if (nr)
            real = nr;
        if (!nl || !nr || rc) {
            if (!rc)
                rc = civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
            free(r);
            civr__free(cur);
            break;
        }
        list[count] = cur;
        real[count] = r;
        count++;
        /* peek at extends without keeping the file: read the layer later */
        char *bpath = join_path(cur, "bundle.yaml");
        char *text = NULL;
        size_t len = 0;
        civr_error e = CIVR_ERROR_INIT;
        cur = NULL;
        if (!bpath) {
            rc = civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
            break;
        }
        if (civr__read_file(bpath, ld->pol->limits.max_text_bytes, &text, &len, &e) == 0) {
            civr_doc doc;
            if (civr__doc_parse_yaml(&doc, text, len, bpath, &ld->pol->limits, &e) == 0) {
                const civr_node *ext = civr__node_get(doc.root, "extends");
                const char *t = civr__node_text(ext);
                if (t && !civr__node_is_null(ext))
                    cur = join_path(list[count - 1], t);
            }
            civr__doc_free(&doc);
        }
        civr__free(text);
        civr__free(bpath);
    }
    for (uint32_t i = 0; i < count; i++)
        free(real[i]);
    civr__free(real);
    /* reverse: root first */
    for (uint32_t i = 0; i < count / 2; i++) {
        char *t = list[i];
        list[i] = list[count - 1 - i];
        list[count - 1 - i] = t;
    }
    *dirs = list;
    *n = count;
    return rc;
}

static void digest(civr_policy *p)
{
    civr_sha256 s;
    civr__sha256_init(&s);
    for (uint32_t i = 0; i < p->nfiles; i++) {
        const civr_file *f = &p->files[i];
        const civr_layer *l = &p->layers[f->layer];
        size_t dl = strlen(l->dir);
        const char *rel = strncmp(f->path, l->dir, dl) == 0 && f->path[dl] == '/'
                              ? f->path + dl + 1 /* the path inside its bundle */
                              : f->path;
        const char *id = l->id ? l->id : "";
        char len[32];
        snprintf(len, sizeof len, "%zu", f->len);
        civr__sha256_update(&s, id, strlen(id) + 1);
        civr__sha256_update(&s, rel, strlen(rel) + 1);
        civr__sha256_update(&s, len, strlen(len) + 1);
        civr__sha256_update(&s, f->text, f->len);
    }
    unsigned char d[32];
    civr__sha256_final(&s, d);
    civr__sha256_hex(d, p->digest);
}

void civr_policy_free(civr_policy *p)
{
    if (!p)
        return;
    for (uint32_t i = 0; i < p->nfiles; i++) {
        civr__doc_free(&p->files[i].doc);
        civr__free(p->files[i].text);
    }
    civr__free(p->files);
    civr__calendar_free(p);
    civr__arena_free(&p->arena);
    civr__free(p);
}

int civr_policy_load(civr_policy **out, const char *dir, const civr_load_options *opts,
                     civr_error *err)
{
    if (out)
        *out = NULL; /* on every failure, as documented */
    if (!out || !dir)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and dir");
    if (opts && (opts->version == 0 || opts->version > CIVR_LOAD_OPTIONS_VERSION))
        return civr__fail(err, NULL, CIVR_MSG(STRUCT_VERSION), "civr_load_options", opts->version,
                          CIVR_LOAD_OPTIONS_VERSION, "CIVR_LOAD_OPTIONS_VERSION");
    civr_limits limits;
    int lrc = civr__limits(&limits, opts ? opts->limits : NULL, err);
    if (lrc)
        return lrc;
    civr_policy *p = civr__calloc(1, sizeof *p);
    if (!p)
        return civr__oom(err);
    civr__arena_init(&p->arena, 65536);
    p->limits = limits;
    civr_loader ld = {0};
    ld.pol = p;
    ld.opts = opts;
    ld.err = err;
    char **dirs = NULL;
    uint32_t ndirs = 0;
    chain(&ld, dir, &dirs, &ndirs);
    if (ld.rc == 0) {
        p->layers = civr__arena_array(&p->arena, ndirs, sizeof *p->layers);
        if (!p->layers)
            civr__ld_error_at(&ld, NULL, CIVR_MSG(NO_MEMORY));
        p->nlayers = ndirs;
        for (uint32_t i = 0; i < ndirs && p->layers; i++) {
            char *parent = NULL;
            read_layer(&ld, dirs[i], i, &parent);
            civr__free(parent);
        }
        for (uint32_t i = 0; i < ndirs && p->layers; i++)
            for (uint32_t j = 0; j < i; j++)
                if (p->layers[i].id && p->layers[j].id &&
                    civr__streq(p->layers[i].id, p->layers[j].id)) {
                    civr_pos pos = {p->files[0].path, 0, 0, 0};
                    for (uint32_t f = 0; f < p->nfiles; f++)
                        if (p->files[f].layer == i) {
                            pos.source = p->files[f].path;
                            break;
                        }
                    civr__ld_error_at(&ld, &pos, CIVR_MSG(DUPLICATE_NAME), "layer id",
                                      p->layers[i].id, p->layers[j].dir);
                }
    }
    for (uint32_t i = 0; i < ndirs; i++)
        civr__free(dirs[i]);
    civr__free(dirs);
    /* the phases run only on files that read well: a half-read bundle would
     * give errors that are only echoes of the first ones */
    /* types refer to enums, record types and tables by a 16-bit index
     * (civr_type.ref; CIVR_ROW_ANY is taken): more of them cannot be told apart */
    if (ld.rc == 0 && (ld.enums.count + CIVR_ENUM_BUILTIN_COUNT >= CIVR_ROW_ANY ||
                       ld.records.count >= CIVR_ROW_ANY || ld.tables.count >= CIVR_ROW_ANY)) {
        civr__ld_error_at(&ld, NULL, CIVR_MSG(TOO_MANY_TYPES),
                          (unsigned)CIVR_ROW_ANY - 1 - CIVR_ENUM_BUILTIN_COUNT,
                          (unsigned)CIVR_ROW_ANY - 1, (unsigned)CIVR_ROW_ANY - 1, ld.enums.count,
                          ld.records.count, ld.tables.count);
    }
    if (ld.rc == 0) {
        civr__calendar_sort(p);
        civr__ld_enums(&ld);
        civr__ld_schema(&ld);
        if (ld.rc == 0) {
            civr__ld_params(&ld);
            civr__ld_tables(&ld);
        }
        if (ld.rc == 0)
            civr__ld_programs(&ld);
        if (ld.rc == 0 && p->ntables >= CIVR_ROW_ANY) /* programs' own tables count too */
            civr__ld_error_at(&ld, NULL, CIVR_MSG(TOO_MANY_TABLES), (unsigned)CIVR_ROW_ANY - 1);
        if (ld.rc == 0) {
            civr__ld_presence(&ld);
            civr__ld_choices(&ld);
        }
        if (ld.rc == 0)
            civr__ld_complete(&ld);
        digest(p); /* over every file read, hooks' sources included */
        if (ld.rc == 0 && civr__policy_describe(p) != 0)
            civr__ld_error_at(&ld, NULL, CIVR_MSG(NO_MEMORY));
    }
    civr__ld_namedset_free(&ld.enums);
    civr__ld_namedset_free(&ld.records);
    civr__ld_namedset_free(&ld.params);
    civr__ld_namedset_free(&ld.tables);
    civr__ld_namedset_free(&ld.programs);
    civr__ld_namedset_free(&ld.presence);
    civr__ld_namedset_free(&ld.choices);
    civr__buf_free(&ld.reported);
    if (ld.rc) {
        civr_policy_free(p);
        return ld.rc;
    }
    *out = p;
    return 0;
}
