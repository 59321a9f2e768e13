/*
 * A policy tree: every bundle under a root that declares regions, loaded
 * once, and the choice of the most specific one for a household's region.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../household/household.h"
#include "civrules/policyset.h"

struct civr_policy_set {
    size_t count;
    civr_policy **policies;
    char *root;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct walk {
    char **dirs;
    size_t n, cap;
    bool oom;
} walk;

/* Collect the folders under `dir` holding a bundle.yaml (depth-limited). */
static void find_bundles(walk *w, const char *dir, int depth)
{
    if (depth > 16 || w->oom)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **subs = NULL;
    size_t nsubs = 0, cap = 0;
    struct dirent *e;
    bool bundle = false;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (civr__streq(e->d_name, "bundle.yaml")) {
            bundle = true;
            continue;
        }
        if (civr__streq(e->d_name, "tests"))
            continue;
        size_t l = strlen(dir) + strlen(e->d_name) + 2;
        char *path = civr__malloc(l);
        if (!path || !civr__grow((void **)&subs, &cap, nsubs + 1, sizeof *subs)) {
            civr__free(path);
            w->oom = true;
            break;
        }
        snprintf(path, l, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            subs[nsubs++] = path;
        else
            civr__free(path);
    }
    closedir(d);
    if (bundle && !w->oom) {
        char *copy = civr__malloc(strlen(dir) + 1);
        if (!copy || !civr__grow((void **)&w->dirs, &w->cap, w->n + 1, sizeof *w->dirs)) {
            civr__free(copy);
            w->oom = true;
        } else {
            strcpy(copy, dir);
            w->dirs[w->n++] = copy;
        }
    }
    if (nsubs)
        qsort(subs, nsubs, sizeof *subs, cmp_str);
    for (size_t i = 0; i < nsubs; i++) {
        find_bundles(w, subs[i], depth + 1);
        civr__free(subs[i]);
    }
    civr__free(subs);
}

void civr_policy_set_free(civr_policy_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        civr_policy_free(set->policies[i]);
    civr__free(set->policies);
    civr__free(set->root);
    civr__free(set);
}

int civr_policy_set_load(civr_policy_set **out, const char *root, const civr_load_options *opts,
                         civr_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !root)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and a root");
    civr_policy_set *set = civr__calloc(1, sizeof *set);
    if (!set || !(set->root = civr__malloc(strlen(root) + 1))) {
        civr__free(set);
        return civr__oom(err);
    }
    strcpy(set->root, root);
    walk w = {0};
    find_bundles(&w, root, 0);
    int rc = w.oom ? civr__oom(err) : 0;
    size_t cap = 0;
    for (size_t i = 0; i < w.n && rc == 0; i++) {
        civr_policy *p;
        rc = civr_policy_load(&p, w.dirs[i], opts, err);
        if (rc)
            break;
        if (!civr_policy_region_count(p)) {
            civr_policy_free(p);
            continue;
        }
        if (!civr__grow((void **)&set->policies, &cap, set->count + 1, sizeof *set->policies)) {
            civr_policy_free(p);
            rc = civr__oom(err);
            break;
        }
        set->policies[set->count++] = p;
        for (size_t j = 0; j + 1 < set->count && rc == 0; j++)
            for (size_t a = 0; a < civr_policy_region_count(p) && rc == 0; a++)
                for (size_t b = 0; b < civr_policy_region_count(set->policies[j]); b++)
                    if (civr__streq(civr_policy_region(p, a),
                                    civr_policy_region(set->policies[j], b))) {
                        rc = civr__fail(err, NULL, CIVR_MSG(REGION_TWICE),
                                        civr_policy_id(set->policies[j]), civr_policy_id(p),
                                        civr_policy_region(p, a));
                        break;
                    }
    }
    for (size_t i = 0; i < w.n; i++)
        civr__free(w.dirs[i]);
    civr__free(w.dirs);
    if (rc == 0 && !set->count) {
        civr_pos pos = {root, 0, 0, 0};
        rc = civr__fail(err, &pos, CIVR_MSG(READ_FAILED), root,
                        "no bundle there declares regions (regions: in bundle.yaml)");
    }
    if (rc) {
        civr_policy_set_free(set);
        return rc;
    }
    *out = set;
    return 0;
}

size_t civr_policy_set_count(const civr_policy_set *set)
{
    return set ? set->count : 0;
}

const civr_policy *civr_policy_set_policy(const civr_policy_set *set, size_t i)
{
    return set && i < set->count ? set->policies[i] : NULL;
}

int civr_policy_set_select(const civr_policy **out, const civr_policy_set *set,
                           const char *region, civr_error *err)
{
    if (out)
        *out = NULL; /* NULL on error, as documented */
    if (!out || !set)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and a set");
    civr_buf all = CIVR_BUF_INIT;
    for (size_t i = 0; i < set->count; i++)
        for (size_t j = 0; j < civr_policy_region_count(set->policies[i]); j++)
            civr__buf_printf(&all, "%s%s %s", all.len ? ", " : "",
                             civr_policy_region(set->policies[i], j),
                             civr_policy_id(set->policies[i]));
    int rc = 0, best = 0;
    if (!region) {
        rc = civr__fail(err, NULL, CIVR_MSG(NO_REGION), set->root, all.data ? all.data : "");
    } else {
        for (size_t i = 0; i < set->count; i++) {
            int g = civr_policy_governs(set->policies[i], region);
            if (g > best) {
                best = g;
                *out = set->policies[i];
            }
        }
        if (!best) {
            civr_error tmp = CIVR_ERROR_INIT;
            rc = civr_policy_check_region(set->policies[0], region, &tmp) == CIVR_EDATA &&
                         tmp.id == 7003
                     ? civr__fail(err, NULL, CIVR_MSG(BAD_REGION), region)
                     : civr__fail(err, NULL, CIVR_MSG(NO_BUNDLE_FOR_REGION), set->root, region,
                                  all.data ? all.data : "");
        }
    }
    civr__buf_free(&all);
    return rc;
}

int civr_policy_set_select_text(const civr_policy **out, const civr_policy_set *set,
                                const char *text, size_t len, civr_format format,
                                const char *source, char *id, size_t id_size, civr_error *err)
{
    if (id && id_size)
        id[0] = '\0';
    if (out)
        *out = NULL;
    if (!out || !set || (!text && len))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out, a set and a text");
    int frc = civr__format_check(format, __func__, err);
    if (frc)
        return frc;
    const civr_limits *limits = &set->policies[0]->limits;
    /* Most texts are JSON that parses: a scan for `id` and `region` is
     * enough, with no tree built (the evaluation parses the text anyway).
     * When the scan is not sure, the parse below decides, errors and all. */
    static const char *const keys[] = {"id", "region"};
    const char *values[2];
    size_t lens[2];
    char region_text[256];
    if (format != CIVR_FORMAT_YAML && text &&
        civr__doc_json_peek(text, len, limits, keys, 2, values, lens) &&
        (!values[1] || lens[1] < sizeof region_text)) {
        if (id && id_size && values[0])
            snprintf(id, id_size, "%.*s", (int)(lens[0] < INT32_MAX ? lens[0] : INT32_MAX), values[0]);
        if (values[1]) {
            memcpy(region_text, values[1], lens[1]);
            region_text[lens[1]] = '\0';
        }
        return civr_policy_set_select(out, set, values[1] ? region_text : NULL, err);
    }
    civr_doc doc;
    int rc = civr__doc_parse_auto(&doc, text ? text : "", len, format, source, limits, err);
    if (rc) {
        if (doc.root && id && id_size && civr__household_peek_id(&doc))
            snprintf(id, id_size, "%s", civr__household_peek_id(&doc));
        civr__doc_free(&doc); /* a failed parse keeps what it read so far */
        return rc;
    }
    const char *hid = civr__household_peek_id(&doc);
    if (id && id_size && hid)
        snprintf(id, id_size, "%s", hid);
    const char *region = civr__household_peek_region(&doc);
    rc = civr_policy_set_select(out, set, region, err);
    civr__doc_free(&doc);
    return rc;
}
