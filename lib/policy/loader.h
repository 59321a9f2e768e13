/*
 * The loader: reads a bundle and its parents, lays the layers over each
 * other and compiles the result into a civr_policy. Split by concern:
 *   loader.c   bundles, layers, files, digest, the order of the phases
 *   schema.c   enums and the household schema
 *   params.c   parameters and their dated values
 *   tables.c   decision tables, cells, overlap and reachability checks
 *   programs.c programs: facts, outcomes, dependencies
 *   hooks.c    programs' Lua hooks
 *   presence.c who is out of the household at a date, and choices between programs
 *   needs.c    what programs need, and whether a bundle supplies it
 *   values.c   reading typed values (money, rates, dates...) from YAML
 */
#ifndef CIVR_LOADER_H
#define CIVR_LOADER_H

#include "../model/model.h"

/* One declaration of a named thing in one file: programs, tables... are
 * declared by the first layer and amended by later ones, so each name has a
 * chain of these, root layer first. */
typedef struct civr_decl {
    const civr_node *node; /* the value under the name */
    const civr_node *key;  /* the name itself, for positions */
    uint32_t file;
    struct civr_decl *next;
} civr_decl;

typedef struct civr_named {
    const char *name;
    civr_decl *first, *last;
} civr_named;

/* A growable list of named declaration chains, in order of first mention. */
typedef struct civr_namedset {
    civr_named *items;
    size_t count, cap;
    uint32_t *slots; /* open addressing by name: 1 + index into items, 0 when free */
    size_t nslots;   /* a power of two, at least twice count (a bundle may hold many names) */
} civr_namedset;

typedef struct civr_loader {
    civr_policy *pol;
    const civr_load_options *opts;
    civr_error *err;
    int rc;           /* first error code */
    unsigned nerrors;
    civr_namedset enums, records, params, tables, programs, presence, choices;
    civr_buf reported; /* "\nid line:col source message\n" of each error reported, to report each once */
} civr_loader;

/* Read a `calendar:` section of a policy file (calendar.c); sort the calendar
 * once every file is read; free it with the policy. */
void civr__ld_calendar(civr_loader *ld, uint32_t file, const civr_node *node);
void civr__calendar_sort(civr_policy *p);
void civr__calendar_free(civr_policy *p);

/* Report an error at `node` of file `file` (NULL node: the file) and go on. */
int civr__ld_error(civr_loader *ld, uint32_t file, const civr_node *node, civr_msg m,
                   const char *fmt, ...) CIVR__PRINTF(5, 6);
int civr__ld_error_at(civr_loader *ld, const civr_pos *pos, civr_msg m, const char *fmt, ...)
    CIVR__PRINTF(4, 5);
/* Report an error already formatted in `e`. */
int civr__ld_report(civr_loader *ld, civr_error *e);
civr_src civr__ld_src(civr_loader *ld, uint32_t file, const civr_node *node);
const civr_doc *civr__ld_doc(civr_loader *ld, uint32_t file);

/* Add a declaration of `name` (a key node's text) to a set. */
int civr__ld_declare(civr_loader *ld, civr_namedset *set, uint32_t file, const civr_node *key,
                     const civr_node *value);
void civr__ld_namedset_free(civr_namedset *set);

/* Check that mapping `map` only has the keys in `allowed` (NULL-terminated). */
bool civr__ld_keys(civr_loader *ld, uint32_t file, const civr_node *map, const char *what,
                   const char *const *allowed);
/* Require `node` to be a mapping / sequence / scalar; reports and returns false otherwise. */
bool civr__ld_want(civr_loader *ld, uint32_t file, const civr_node *node, civr_node_kind kind,
                   const char *what);
/* A string from a scalar, copied to the policy arena; NULL (with an error) otherwise. */
const char *civr__ld_string(civr_loader *ld, uint32_t file, const civr_node *node,
                            const char *what);
/* {zh: ..., en: ...}; either may be missing unless `required`. */
bool civr__ld_text(civr_loader *ld, uint32_t file, const civr_node *node, const char *what,
                   bool required, civr_text *out);
/* true/false */
bool civr__ld_bool(civr_loader *ld, uint32_t file, const civr_node *node, const char *what,
                   bool *out);
/* The last value of key `key` along a declaration chain (later layers win). */
const civr_pair *civr__ld_last(const civr_named *n, const char *key, uint32_t *file);

/* Types written in YAML: "money", "list<member>", "set<situation>"... */
bool civr__ld_type(civr_loader *ld, uint32_t file, const civr_node *node, civr_type *out);

/* Read a YAML scalar or list as a value of type `t` (values.c). */
bool civr__ld_value(civr_loader *ld, uint32_t file, const civr_node *node, civr_type t,
                    civr_val *out);
/* The same, naming the field in errors (`from`, `valid_from`). */
bool civr__ld_field_value(civr_loader *ld, uint32_t file, const civr_node *node, const char *field,
                          civr_type t, civr_val *out);

/* Tables (tables.c), shared with programs' own computed tables. */
typedef struct civr_rowdecl {
    const char *id;
    const civr_node *node; /* the row as last written */
    uint32_t file;
} civr_rowdecl;
bool civr__ld_columns(civr_loader *ld, uint32_t file, const civr_node *node, const char *what,
                      civr_column **out, uint32_t *n);
bool civr__ld_table_header(civr_loader *ld, const civr_named *nm, civr_table *t, bool computed);
/* Rows by id across layers; *out is malloc'd (free it). */
bool civr__ld_merge_rows(civr_loader *ld, const civr_named *nm, civr_rowdecl **out,
                         size_t *count);

/* Read the file named by scalar `name` (in YAML file `named_in`, relative
 * to that file's bundle) as a source text: it joins the policy's files and
 * digest, without being parsed as YAML. 0, or an error reported at `name`. */
int civr__ld_add_source(civr_loader *ld, uint32_t named_in, const civr_node *name,
                        uint32_t *index);

/* A reason {code, zh, en, basis}; `default_basis` when it names none. */
const civr_reason *civr__ld_reason(civr_loader *ld, uint32_t file, const civr_node *node,
                                   const char *default_basis);

/* A program's hooks (hooks.c), after its facts are compiled. */
bool civr__ld_hooks(civr_loader *ld, const civr_named *nm, civr_program *pg);

/* The phases, in order (each reports errors and goes on where it can). */
void civr__ld_enums(civr_loader *ld);
void civr__ld_schema(civr_loader *ld);
void civr__ld_params(civr_loader *ld);
void civr__ld_tables(civr_loader *ld);
void civr__ld_programs(civr_loader *ld);
void civr__ld_presence(civr_loader *ld); /* presence.c, after the programs */
void civr__ld_choices(civr_loader *ld);  /* presence.c, after the programs */
/* What the programs need from `from` to `until` (until < from: no end): one
 * entry per parameter some expression reads, with the first place it is
 * read (a program, or a program's table); what a yes/no parameter false
 * throughout guards is left out. */
typedef struct civr_need {
    uint32_t param;
    const char *reader; /* program id */
    civr_src src;
} civr_need;
/* The needs of `p`, malloc'd (free with civr__free), in parameter order. */
int civr__policy_needs(const civr_policy *p, civr_date from, civr_date until, civr_need **out,
                       uint32_t *n);
/* Does parameter `pa` lack a value on some date from `from` to `until`
 * (inclusive; until < from: no end)? The first such date in `*when` and,
 * when what lacks is only some keys, their names in `keys` ("rural"). */
bool civr__param_gap(const civr_policy *p, const civr_param *pa, civr_date from, civr_date until,
                     civr_date *when, civr_buf *keys);

/* A bundle that declares the dates it is meant for has a value for every
 * parameter its programs read on each of them (needs.c). */
void civr__ld_complete(civr_loader *ld);

#endif
