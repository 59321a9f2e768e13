/*
 * Documents: a tree of scalars, sequences and mappings with the source
 * position of every node, read from YAML (libyaml) or JSON (our strict
 * reader). Everything above this layer (policy loader, household decoder,
 * test runner) reads trees, never text, so that YAML and JSON behave alike
 * and every error can point at file:line:col.
 *
 * Scalars keep their text exactly as written: numbers, dates and booleans
 * are interpreted by whoever reads the node, exactly, never through a
 * binary floating point.
 */
#ifndef CIVR_DOC_H
#define CIVR_DOC_H

#include "../base/base.h"

typedef enum civr_node_kind {
    CIVR_NODE_SCALAR = 0,
    CIVR_NODE_SEQ = 1,
    CIVR_NODE_MAP = 2
} civr_node_kind;

typedef enum civr_scalar_style {
    CIVR_STYLE_PLAIN = 0,  /* YAML plain; JSON number, true, false, null */
    CIVR_STYLE_QUOTED = 1, /* YAML quoted; JSON string */
    CIVR_STYLE_BLOCK = 2   /* YAML literal | or folded > */
} civr_scalar_style;

typedef struct civr_node civr_node;
typedef struct civr_pair {
    civr_node *key; /* always a scalar */
    civr_node *value;
} civr_pair;

struct civr_node {
    uint8_t kind;  /* civr_node_kind */
    uint8_t style; /* civr_scalar_style, scalars only */
    uint32_t line, column; /* 1-based; column counts characters */
    uint64_t offset;       /* byte offset of the first byte, or CIVR_OFFSET_UNKNOWN */
    uint32_t weight;       /* nodes in this subtree, aliases expanded */
    union {
        struct {
            const char *text; /* NUL-terminated */
            size_t len;
        } scalar;
        struct {
            civr_node **items;
            size_t count;
        } seq;
        struct {
            civr_pair *pairs;
            size_t count;
        } map;
    } u;
};

/* A parsed text. The source text is borrowed: keep it alive as long as the
 * document when positions inside scalars are needed (civr__doc_pos_in). */
typedef struct civr_doc {
    civr_arena arena;
    civr_node *root;       /* NULL for an empty text */
    const char *source;    /* name for positions (copied into the arena) */
    const char *text;      /* borrowed */
    size_t len;
    uint64_t *line_starts; /* byte offset of each line */
    uint32_t line_count;
} civr_doc;

/* Parse `text` as YAML (one document) or JSON into `doc` (initialised here;
 * release with civr__doc_free even on failure). */
int civr__doc_parse_yaml(civr_doc *doc, const char *text, size_t len, const char *source,
                         const civr_limits *limits, civr_error *err);
int civr__doc_parse_json(civr_doc *doc, const char *text, size_t len, const char *source,
                         const civr_limits *limits, civr_error *err);
void civr__doc_free(civr_doc *doc);

/*
 * A quick look at a JSON object's top-level scalar values without building
 * a tree: for choosing a household's bundle before parsing it for real.
 * Returns true only when civr__doc_parse_json would accept `text` with
 * `limits` and give the same top-level values; then, for each of the
 * `nkeys` names in `keys`, values[k] points into `text` at that key's value
 * as the parser would give its text (lens[k] bytes), or is NULL when the
 * key is absent, null, or not a scalar. Returns false whenever it is not
 * sure (escapes in keys or in those values, \u escapes, very wide
 * objects, anything malformed): then parse the text. Allocates nothing.
 */
bool civr__doc_json_peek(const char *text, size_t len, const civr_limits *limits,
                         const char *const *keys, size_t nkeys, const char **values,
                         size_t *lens);

/* Shared by the readers: set up `doc` and its line table. */
int civr__doc_init(civr_doc *doc, const char *text, size_t len, const char *source,
                   civr_error *err);
/* Make a node; `offset` may be CIVR_OFFSET_UNKNOWN (computed from line and
 * column when a position is asked for). */
civr_node *civr__doc_node(civr_doc *doc, civr_node_kind kind, uint32_t line, uint32_t column,
                          uint64_t offset);
#define CIVR_OFFSET_UNKNOWN UINT64_MAX
/* Line and column (1-based, characters) of byte `offset`. */
void civr__doc_line_col(const civr_doc *doc, uint64_t offset, uint32_t *line, uint32_t *column);
/* Check a finished mapping for duplicate keys (records the first one). */
int civr__doc_check_duplicates(civr_doc *doc, const civr_node *map, civr_error *err);

/* Position of a node, or of byte `k` of a scalar's value, in the source. */
civr_pos civr__doc_pos(const civr_doc *doc, const civr_node *node);
civr_pos civr__doc_pos_in(const civr_doc *doc, const civr_node *scalar, size_t k);

/* Positions of many bytes of one scalar's value (an expression's tokens):
 * the walk is remembered every CIVR_POS_STEP bytes, so each position costs
 * at most that much, not the length of the value (which made compiling a
 * long expression quadratic). Same answers as civr__doc_pos_in. */
#define CIVR_POS_STEP 256
typedef struct civr_pos_mark {
    uint64_t s;            /* source byte of value byte j * CIVR_POS_STEP */
    uint32_t line, column; /* of s */
} civr_pos_mark;
typedef struct civr_pos_index {
    const civr_doc *doc;
    const civr_node *node;
    civr_pos_mark *marks;
    size_t nmarks, cap;
} civr_pos_index;
void civr__pos_index_init(civr_pos_index *x, const civr_doc *doc, const civr_node *scalar);
civr_pos civr__pos_index_at(civr_pos_index *x, size_t k);
void civr__pos_index_free(civr_pos_index *x);

/* ---- reading trees ------------------------------------------------------ */

/* Value of key `key` in mapping `map`, or NULL (also when map is not a map). */
civr_node *civr__node_get(const civr_node *map, const char *key);
/* The pair whose key is `key`, or NULL. */
const civr_pair *civr__node_pair(const civr_node *map, const char *key);
/* True for a plain scalar null: "", "~", "null". */
bool civr__node_is_null(const civr_node *node);
bool civr__node_is_scalar(const civr_node *node);
/* Text of a scalar, or NULL. */
const char *civr__node_text(const civr_node *node);
/* Kind as an English noun for error messages: "a mapping", "a string", "a number"... */
const char *civr__node_describe(const civr_node *node);

#endif
