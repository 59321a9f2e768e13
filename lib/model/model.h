/*
 * The compiled policy: types and values, enums, the household schema,
 * parameters with dated values, decision tables and programs. Built once by
 * the loader (loader.c and friends), immutable afterwards, shared by
 * engines.
 *
 * Nothing here knows any benefit program: programs are data, described by
 * the bundle's YAML and compiled into the structures below.
 */
#ifndef CIVR_MODEL_H
#define CIVR_MODEL_H

#include "../base/base.h"
#include "../base/num.h"
#include "../doc/doc.h"
#include "civrules/engine.h"
#include "civrules/values.h"

/* ---- types -------------------------------------------------------------- */

typedef enum civr_tkind {
    CT_VOID = 0, /* no value (statements, errors) */
    CT_NULL,     /* the literal null */
    CT_BOOL,
    CT_INT,
    CT_RATE,  /* exact decimal without unit */
    CT_MONEY, /* fen, exact rational until rounded */
    CT_DATE,
    CT_STRING,
    CT_ENUM,   /* ref: enum index */
    CT_SET,    /* set of values of enum `ref` */
    CT_RECORD, /* ref: record type index */
    CT_LIST,   /* list of records of type `ref` */
    CT_MAP,    /* map from string keys to records of type `ref` */
    CT_ROW     /* a decision table hit; ref: table index, or CIVR_ROW_ANY */
} civr_tkind;

/* The type of `if c then @a(...) else @b(...)`: a row of some table (only .id). */
#define CIVR_ROW_ANY 0xffff

typedef struct civr_type {
    uint16_t kind; /* civr_tkind */
    uint16_t ref;
} civr_type;

static inline civr_type civr__type_of(civr_tkind k, uint16_t ref)
{
    civr_type t = {(uint16_t)k, ref};
    return t;
}
static inline bool civr__type_eq(civr_type a, civr_type b)
{
    return a.kind == b.kind && a.ref == b.ref;
}
static inline bool civr__type_numeric(civr_type t)
{
    return t.kind == CT_INT || t.kind == CT_RATE || t.kind == CT_MONEY;
}

/* ---- runtime values ----------------------------------------------------- */

typedef enum civr_vkind {
    VK_MISSING = 0, /* a household fact the input does not give: decides nothing */
    VK_NULL,        /* absent by the schema's own default (e.g. no certificate) */
    VK_BOOL,
    VK_NUM,
    VK_DATE,
    VK_ENUM,
    VK_SET,
    VK_STR,
    VK_REC,
    VK_LIST,
    VK_MAP,
    VK_ROW
} civr_vkind;

typedef struct civr_rec civr_rec;
typedef struct civr_list civr_list;
typedef struct civr_map civr_map;
typedef struct civr_hit civr_hit;

/* A missing fact: the record and field that were absent, chained. */
typedef struct civr_missing {
    const civr_rec *rec;
    uint32_t field;
    const struct civr_missing *next;
} civr_missing;

typedef struct civr_val {
    uint8_t k; /* civr_vkind */
    union {
        bool b;
        civr_num n;
        civr_date date;
        uint32_t e; /* enum value index */
        uint64_t set;
        struct {
            const char *s;
            uint32_t len;
        } str;
        const civr_rec *rec;
        const civr_list *list;
        const civr_map *map;
        const civr_hit *hit;
        const civr_missing *miss;
    } u;
} civr_val;

struct civr_rec {
    uint16_t type;     /* record type index */
    uint32_t index;    /* position in its list (members: the member index) */
    const char *path;  /* "members[m2]", "assets", for messages */
    civr_val fields[]; /* one per field of the type */
};

struct civr_list {
    uint32_t count;
    const civr_rec **items;
};

struct civr_map {
    uint32_t count;
    const char **keys;
    const civr_rec **items;
};

/* ---- provenance ----------------------------------------------------------- */

/* Where something was written: file index into policy->files, line, column. */
typedef struct civr_src {
    uint32_t file;
    uint32_t line, column;
} civr_src;

typedef struct civr_file {
    const char *path;  /* as opened, e.g. "policies/cn/guangdong/params.yaml" */
    uint32_t layer;    /* index into policy->layers */
    char *text;        /* owned */
    size_t len;
    civr_doc doc;      /* owned */
} civr_file;

typedef struct civr_layer {
    const char *id, *version, *title_zh, *title_en, *dir;
    /* the dates the bundle is meant for (bundle.yaml valid_from, valid_until) */
    bool has_valid_from, has_valid_until;
    civr_date valid_from, valid_until;
    civr_src valid_src; /* the valid_from key */
    uint32_t nregions;
    const char **regions; /* division codes the bundle governs (`regions:`), 6 digits */
} civr_layer;

/* Texts for people: Chinese and English. */
typedef struct civr_text {
    const char *zh, *en;
} civr_text;

/* ---- enums ------------------------------------------------------------------ */

#define CIVR_ENUM_MAX_VALUES 64 /* sets are 64-bit masks */

typedef struct civr_enum_value {
    const char *id;
    civr_text title;
    civr_src src;
} civr_enum_value;

typedef struct civr_enum {
    const char *name;
    uint32_t count;
    civr_enum_value values[CIVR_ENUM_MAX_VALUES];
    civr_src src;
} civr_enum;

/* Built-in enums the mechanisms themselves interpret (indices fixed). */
enum {
    CIVR_ENUM_STATUS = 0,        /* program statuses, in civr_status order */
    CIVR_ENUM_ROUNDING_UNIT = 1, /* fen jiao yuan */
    CIVR_ENUM_ROUNDING_MODE = 2, /* up down half_up (civr_round_mode order) */
    CIVR_ENUM_BUILTIN_COUNT = 3
};

/* ---- schema ------------------------------------------------------------------- */

typedef struct civr_field {
    const char *name;
    civr_type type;
    bool required;
    bool has_default;  /* absent means `default` (otherwise: missing) */
    civr_val deflt;    /* scalars, null, empty list/map */
    bool is_ref;       /* a string that names a member by id */
    bool is_key;       /* unique within its list */
    bool nonnegative;  /* money: must be >= 0 (the default for money) */
    const char *shorthand; /* list items may be written as this field's scalar */
    uint32_t min_items;
    civr_text title;
    civr_src src;
} civr_field;

typedef struct civr_rtype {
    const char *name;
    uint32_t nfields;
    civr_field *fields;
    int32_t key_field; /* field that identifies items in a list, or -1 */
    civr_src src;
} civr_rtype;

/* Record types the mechanisms need by name. */
#define CIVR_RTYPE_HOUSEHOLD 0 /* the root record type "household" */

/* ---- parameters ------------------------------------------------------------- */

typedef struct civr_pcell civr_pcell;
struct civr_pcell {
    const char *key;         /* NULL: the default for keys not listed */
    uint32_t key_len;
    int32_t key_enum;        /* the key's enum value index, or -1 */
    int64_t lo, hi;          /* integer dimensions: the key's whole numbers, lo..hi inclusive */
    civr_val value;          /* when this is the last dimension */
    uint32_t nsub;
    const civr_pcell *sub;   /* cells of the next dimension */
};

typedef struct civr_pvalue {
    civr_date from;     /* in force from (in the resolved timeline of all layers) */
    civr_date declared; /* the `from:` as written in its layer */
    bool ended;        /* `value: null`: no value from this date */
    civr_val value;    /* when the parameter has no dimensions */
    uint32_t ncells;   /* otherwise the cells of the first dimension */
    const civr_pcell *cells;
    const char *basis;
    const char *note;
    bool illustrative;
    civr_src src;
} civr_pvalue;

#define CIVR_PARAM_MAX_DIMS 3

typedef struct civr_param {
    const char *name;
    civr_type type;
    const char *unit;
    civr_text title;
    uint32_t ndims;
    struct {
        const char *name; /* an enum name, "region" for division codes, or an integer's */
        int32_t enum_index; /* -1 for free-text and integer keys */
        bool integer;       /* keys are whole numbers and ranges: 3, "1..2", ">= 60" */
    } dims[CIVR_PARAM_MAX_DIMS];
    /* the range the type allows (money: not negative unless `min` says) */
    bool has_min, has_max;
    civr_num min, max;
    uint32_t nvalues;
    civr_pvalue *values; /* increasing `from` */
    civr_src src;
} civr_param;

/* ---- decision tables ------------------------------------------------------- */

typedef enum civr_hit_policy {
    CIVR_HIT_UNIQUE = 0,
    CIVR_HIT_FIRST,
    CIVR_HIT_PRIORITY,
    CIVR_HIT_COLLECT_SUM,
    CIVR_HIT_COLLECT_MAX,
    CIVR_HIT_COLLECT_MIN,
    CIVR_HIT_COLLECT_COUNT
} civr_hit_policy;

typedef enum civr_cell_kind {
    CIVR_CELL_ANY = 0, /* "-" */
    CIVR_CELL_EQ,      /* a value */
    CIVR_CELL_IN,      /* one of several values: [a, b] */
    CIVR_CELL_RANGE,   /* ">= 70", "< 18", "[60..70)", "1..2" */
    CIVR_CELL_NULL     /* null: the input is absent */
} civr_cell_kind;

typedef struct civr_expr civr_expr; /* compiled expression, lib/expr */

typedef struct civr_cell {
    uint8_t kind;
    bool lo_set, hi_set, lo_incl, hi_incl;
    civr_val lo, hi;     /* RANGE bounds; EQ uses lo */
    /* a bound (EQ: the value) that is an expression of parameters and the
     * table's inputs, computed at the evaluation date; with its text */
    const civr_expr *lo_x, *hi_x;
    const char *lo_text, *hi_text;
    uint32_t nvals;      /* IN */
    const civr_val *vals;
    const char *basis;   /* a cell written {value: ..., basis: ..., illustrative: ...} */
    bool illustrative;
    civr_src src;
} civr_cell;

typedef struct civr_row {
    const char *id;
    civr_text title;
    int32_t priority;
    civr_cell *cells;   /* one per input */
    civr_val *outputs;  /* one per output */
    /* computed tables (declared in a program): a condition and output
     * expressions evaluated for the member `m`; in other tables an output
     * may be an expression of parameters and the inputs (NULL: a literal) */
    const civr_expr *when;
    const civr_expr **output_exprs;
    const char *basis;  /* the row's, or NULL */
    bool illustrative;  /* the row, or one of its cells, is an assumed value */
    uint32_t layer;
    civr_src src;
} civr_row;

typedef struct civr_column {
    const char *name;
    civr_type type;
} civr_column;

typedef struct civr_table {
    const char *name;
    civr_text title;
    uint8_t hit;
    uint32_t ninputs, noutputs;
    civr_column *inputs, *outputs;
    uint32_t nrows;
    civr_row *rows;
    bool has_default;
    civr_val *default_outputs;
    const char *basis;
    bool computed;      /* rows are expressions about `m` (a program's table) */
    bool dynamic;       /* some cell or output is an expression: inputs in slots slot0.. */
    uint32_t slot0;
    uint32_t ndeclared; /* inputs of the declaring layer; later ones were added by layers */
    civr_src src;
} civr_table;

/* A table hit: the outputs and the rows that produced them. */
struct civr_hit {
    const civr_table *table;
    const civr_val *outputs; /* noutputs values */
    uint32_t nrows;
    const civr_row **rows; /* matched rows that count (max/min: the chosen one) */
};

/* ---- programs --------------------------------------------------------------- */

typedef struct civr_reason {
    const char *code;
    civr_text text;
    const char *basis;
    civr_src src;
    uint32_t hash; /* of code, zh and en (civr__reason_hash); 0: not computed */
} civr_reason;

/* A hash of a reason's code and texts: equal reasons have equal hashes,
 * never 0. Reasons are compared often while results are made. */
static inline uint32_t civr__reason_hash(const civr_reason *r)
{
    uint32_t h = 2166136261u; /* FNV-1a over code NUL zh NUL en */
    const char *parts[3] = {r->code, r->text.zh, r->text.en};
    for (int i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
            h = (h ^ *p) * 16777619u;
        h = (h ^ 0) * 16777619u;
    }
    return h ? h : 1;
}

typedef struct civr_fact {
    const char *name;
    civr_text title;    /* facts with a title are shown in results */
    bool show;
    bool per_member;    /* a member fact: a function of `m` */
    const civr_expr *expr;
    civr_type type;
    const civr_reason *fail; /* a check: this reason when the value is false */
    uint32_t slot;      /* index among the policy's household (or member) facts */
    uint32_t layer;
    civr_src src;
} civr_fact;

typedef struct civr_outcome {
    const char *id;
    const civr_expr *when;   /* NULL: always */
    uint8_t status;          /* civr_status */
    const civr_expr *amount; /* NULL: 0; in a member-scope program, the member's */
    const civr_expr *members_for;      /* NULL: no member lines (household scope) */
    const civr_expr *member_amount;
    const civr_expr *member_category;  /* NULL: none; member scope: the member's category */
    const civr_reason *reason;
    uint32_t layer;
    civr_src src;
} civr_outcome;

typedef enum civr_scope {
    CIVR_SCOPE_HOUSEHOLD = 0, /* outcomes decide for the household, with member lines */
    CIVR_SCOPE_MEMBER = 1,    /* outcomes decide for each member of `for` */
    CIVR_SCOPE_SHARED = 2     /* facts only, for other programs: no outcomes, not reported */
} civr_scope;

typedef enum civr_stack_rule {
    CIVR_STACK_EXCLUDE = 0,     /* when it holds, the member gets nothing from this program */
    CIVR_STACK_TAKE_HIGHER = 1, /* the member keeps the higher of this and `other` */
    CIVR_STACK_TOP_UP = 2       /* this program pays only what exceeds `other` */
} civr_stack_rule;

/* A stacking rule: how a member line meets another benefit. */
typedef struct civr_stacking {
    const char *id;
    uint8_t rule;             /* civr_stack_rule */
    const civr_expr *when;    /* about `m`; NULL: always */
    const civr_expr *other;   /* money about `m`: the other benefit (take_higher, top_up) */
    const civr_reason *reason;
    uint32_t layer;
    civr_src src;
} civr_stacking;

/* Points in a program where a bundle may attach a Lua hook. */
typedef enum civr_hook_point {
    CIVR_HOOK_BEFORE_ELIGIBILITY = 0, /* may set declared facts, before any outcome */
    CIVR_HOOK_AFTER_ELIGIBILITY = 1,  /* may switch the chosen outcome */
    CIVR_HOOK_AFTER_AMOUNT = 2,       /* may change the amount of a paying outcome */
    CIVR_HOOK_POINTS = 3
} civr_hook_point;

extern const char *const civr__hook_point_names[CIVR_HOOK_POINTS];

#define CIVR_HOOK_MAX_SETS 63 /* facts one before_eligibility hook may set */

typedef struct civr_hook {
    const char *name;     /* "program.point", for messages and traces */
    uint8_t point;        /* civr_hook_point */
    uint32_t index;       /* among the policy's hooks: the engine keeps them compiled */
    uint32_t file;        /* the Lua source, in policy->files */
    const char *basis;    /* for the reasons it gives that name none */
    bool illustrative;    /* an assumed practice: traces say so */
    uint32_t nsets;
    uint32_t *sets;       /* before_eligibility: the program's facts it may set */
    uint32_t layer;
    civr_src src;         /* its declaration in YAML */
} civr_hook;

typedef struct civr_program {
    const char *id;
    civr_text title;
    const char *basis;
    uint8_t scope;           /* civr_scope */
    const civr_expr *members_for; /* member scope: the members decided for (default: all) */
    uint32_t nstacking;
    civr_stacking *stacking;
    uint32_t index;          /* in evaluation order */
    uint32_t ndeps;
    uint32_t *deps;          /* program indices */
    uint32_t nfacts;         /* household facts then member facts */
    civr_fact *facts;
    uint32_t nshown;
    uint32_t *shown;         /* fact indices shown in results, declaration order */
    uint32_t nchecks;
    uint32_t *checks;        /* fact indices of checks (a 'fail' reason), declaration order */
    uint32_t noutcomes;
    civr_outcome *outcomes;
    uint32_t nslots;         /* variable slots its expressions use */
    const civr_hook *hooks[CIVR_HOOK_POINTS]; /* NULL where none is attached */
    civr_src src;
} civr_program;

/* ---- presence and choices -------------------------------------------------- */

/* A rule that takes a member out of the household at the evaluation date
 * (not yet born, died before the month began...): every program then
 * evaluates without them, and the result lists them with the reason. */
typedef struct civr_presence {
    const char *id;
    const civr_expr *when;   /* bool about `m` */
    const civr_expr *since;  /* date about `m` shown with the reason, or NULL */
    const civr_reason *reason;
    uint32_t layer;
    civr_src src;
} civr_presence;

/* One route of a choice: a member-scope program the member may take. */
typedef struct civr_route {
    uint32_t program;          /* index in evaluation order */
    bool preferred;            /* wins a tie */
    const civr_reason *reason; /* on the lines of the routes not taken */
} civr_route;

#define CIVR_CHOICE_MAX_ROUTES 4

/* Exclusive programs for a member: when a member qualifies for more than
 * one route, only one is kept: the one the household states (`stated`),
 * else the one that pays the household more, a tie going to the preferred. */
typedef struct civr_choice {
    const char *id;
    civr_text title;
    const char *basis;
    const civr_expr *stated;   /* map keyed by program id about `m`, or NULL */
    uint32_t nroutes;
    civr_route routes[CIVR_CHOICE_MAX_ROUTES];
    uint32_t layer;
    civr_src src;
} civr_choice;

/* ---- the policy ------------------------------------------------------------- */

struct civr_policy {
    civr_arena arena;
    civr_limits limits;
    char digest[65];
    uint32_t nlayers;
    civr_layer *layers;
    uint32_t nfiles;
    civr_file *files;
    uint32_t nenums;
    civr_enum *enums;
    uint32_t nrtypes;
    civr_rtype *rtypes;
    uint32_t nparams;
    civr_param *params;
    uint32_t ntables;
    civr_table *tables;
    uint32_t nprograms;
    civr_program *programs; /* evaluation order */
    uint32_t nreported;
    uint32_t *reported;     /* programs in results: declaration order, shared ones left out */
    const char *description; /* civr_policy_describe, made at load */
    uint32_t nhooks;
    const civr_hook **hooks; /* every program's hooks, by civr_hook.index */
    uint32_t npresence;
    civr_presence *presence;
    uint32_t nchoices;
    civr_choice *choices;
    uint32_t members_field; /* the household's `members` field */
    uint32_t nslots;       /* expression variable slots (slot 0 is `m`) */
    uint32_t nhfacts;      /* household facts of all programs */
    uint32_t nmfacts;      /* member facts of all programs */
    struct {               /* `calendar:` sections (working days), malloc'd, sorted */
        size_t nyears, nholidays, nworkdays, cap_years, cap_holidays, cap_workdays;
        int *years;          /* years the calendar covers */
        civr_date *holidays; /* days off (weekdays among them are not working days) */
        civr_date *workdays; /* weekend days that are working days (调休上班) */
    } calendar;
};


/* Lookups by name (-1 when absent). */
int32_t civr__policy_enum(const civr_policy *p, const char *name);
int32_t civr__policy_enum_value(const civr_enum *e, const char *id, size_t len);
int32_t civr__policy_rtype(const civr_policy *p, const char *name);
int32_t civr__policy_field(const civr_rtype *t, const char *name, size_t len);
int32_t civr__policy_param(const civr_policy *p, const char *name, size_t len);
int32_t civr__policy_table(const civr_policy *p, const char *name, size_t len);
int32_t civr__policy_program(const civr_policy *p, const char *name, size_t len);

/* Make the policy's description (civr_policy_describe), at the end of loading. */
int civr__policy_describe(civr_policy *p);

/* The position of a source location, for errors. */
civr_pos civr__policy_pos(const civr_policy *p, civr_src src);
/* "file:line" text for traces (in the policy's arena is not needed: caller's buffer). */
void civr__policy_where(const civr_policy *p, civr_src src, civr_buf *out);

/* Type name for messages: "money", "enum urban_rural", "list of member". */
void civr__type_name(const civr_policy *p, civr_type t, civr_buf *out);

#endif
