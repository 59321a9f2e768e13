/*
 * The functions every binding wraps: one C surface (include/civrules/),
 * the same for Python and Java. Each language's .i file defines its
 * typemaps first and then includes this file, so a binding is typemaps
 * over these functions, never a second implementation.
 *
 * Parameter names select the typemaps:
 *   civr_policy **out, civr_engine **out, ...  the new object is returned
 *   const char *text, size_t len                one text in (UTF-8 bytes)
 *   const char *const *texts, const size_t *lens, size_t count
 *                                               a batch of texts in
 *   civr_date date                              a "YYYY-MM-DD" string in
 *   const char **json, size_t *json_len         the JSON out, as a string
 *   civr_error *err                             raises the language's exception
 *   civr_error *quiet_err, civr_policy **no_policy, size_t *no_count
 *                                               not exposed
 * Handles (civr_policy, civr_engine, civr_result, civr_diagnostics) stay
 * opaque pointers; the language layer owns and frees them.
 */

typedef struct civr_policy civr_policy;
typedef struct civr_engine civr_engine;
typedef struct civr_result civr_result;
typedef struct civr_diagnostics civr_diagnostics;
typedef struct civr_diff civr_diff;
typedef struct civr_screen civr_screen;
typedef struct civr_batch civr_batch;

typedef int32_t civr_date;
/* names from household.h and engine.h: SWIG reads their values from C */
typedef enum civr_format { CIVR_FORMAT_AUTO, CIVR_FORMAT_JSON, CIVR_FORMAT_YAML } civr_format;
enum { CIVR_EVAL_TRACE, CIVR_EVAL_SUMMARY };
typedef enum civr_diff_format { CIVR_DIFF_JSON, CIVR_DIFF_TEXT, CIVR_DIFF_HTML } civr_diff_format;
typedef enum civr_screen_render_kind { CIVR_SCREEN_RENDER_CASES, CIVR_SCREEN_RENDER_MONTHS } civr_screen_render_kind;
enum { CIVR_EVAL_CHECK_REGION };

#ifdef SWIGPYTHON
%nothread; /* quick calls keep the GIL */
#endif
const char *civr_version(void);
void civr_policy_free(civr_policy *policy);
const char *civr_policy_id(const civr_policy *policy);
const char *civr_policy_version(const civr_policy *policy);
const char *civr_policy_digest(const civr_policy *policy);
const char *civr_policy_describe(const civr_policy *policy);
void civr_engine_free(civr_engine *engine);
int civr_result_new(civr_result **out, civr_error *err);
void civr_result_free(civr_result *result);
int civr_diagnostics_new(civr_diagnostics **out, civr_error *err);
void civr_diagnostics_free(civr_diagnostics *diags);
const char *civr_diagnostics_json(civr_diagnostics *diags, size_t *no_count);
void civr_diff_free(civr_diff *diff);
int civr_screen_new(civr_screen **out, civr_error *err);
void civr_screen_free(civr_screen *screen);
int civr_date_parse(civr_date *out, const char *text, size_t len, civr_error *err);
#ifdef SWIGPYTHON
%thread;
#endif

/* these may take long (loading, evaluating): run without the interpreter lock */
int civr_policy_load(civr_policy **out, const char *dir, const civr_load_options *no_options,
                     civr_error *err);
int civr_policy_check(civr_policy **no_policy, const char *dir, const civr_limits *no_limits,
                      civr_diagnostics *diags, civr_error *quiet_err);
int civr_engine_new(civr_engine **out, const civr_policy *policy,
                    const civr_engine_options *no_options, civr_error *err);
int civr_engine_eval_json(civr_engine *engine, const char *text, size_t len, civr_format format,
                          const char *source, civr_date date, unsigned flags, civr_result *result,
                          const char **json, size_t *json_len, civr_error *err);
int civr_engine_eval_batch(civr_engine *engine, const char *const *texts, const size_t *lens,
                           size_t count, civr_format format, const char *source, civr_date date,
                           unsigned flags, civr_result *result, const char **json,
                           size_t *json_len, size_t *no_count, civr_error *err);

/* comparing two policies over a caseload (civrules/diff.h) */
%apply civr_date date { civr_date old_date, civr_date new_date };
#ifdef SWIGPYTHON
%nothread;
#endif
int civr_diff_new(civr_diff **out, const civr_policy *old_policy, civr_date old_date,
                  const civr_policy *new_policy, civr_date new_date, civr_error *err);
int civr_diff_summary(civr_diff *diff, civr_diff_format format, const char *lang,
                      const char **json, size_t *json_len, civr_error *err);
int civr_diff_rules(civr_diff *diff, civr_diff_format format, const char *lang,
                    const char **json, size_t *json_len, civr_error *err);
#ifdef SWIGPYTHON
%thread;
#endif
int civr_diff_add(civr_diff *diff, const char *text, size_t len, civr_format format,
                  const char *source, const char **json, size_t *json_len, civr_error *err);

/* screening a caseload, and month-by-month evaluation (civrules/screen.h);
 * `period_from`/`period_to`: a "YYYY-MM-DD" string, or None for no period */
int civr_engine_screen_batch(civr_engine *engine, const char *const *texts, const size_t *lens,
                             size_t count, civr_format format, const char *source,
                             civr_date date, civr_date period_from, civr_date period_to,
                             unsigned flags, civr_screen_render_kind kind, civr_screen *screen,
                             const char **json, size_t *json_len, size_t *no_count,
                             civr_error *err);

/* the batch path (civrules/batch.h): households as columns. Python only for
 * now: its buffers map onto the columns without a copy. */
#ifdef SWIGPYTHON
typedef enum civr_column_kind { CIVR_COLUMN_INT, CIVR_COLUMN_MONEY, CIVR_COLUMN_BOOL, CIVR_COLUMN_ENUM } civr_column_kind;
enum { CIVR_BATCH_FAILED };
%nothread;
void civr_batch_free(civr_batch *batch);
size_t civr_batch_program_count(const civr_batch *batch);
const char *civr_batch_program_id(const civr_batch *batch, size_t i);
size_t civr_batch_field_count(const civr_batch *batch);
const char *civr_batch_field_name(const civr_batch *batch, size_t i);
int civr_batch_field_kind(const civr_batch *batch, size_t i);
int civr_batch_enum_value(const civr_batch *batch, const char *field, const char *id,
                          int32_t *index, civr_error *err);
int civr_batch_bind(civr_batch *batch, const char *field, int kind, const void *values,
                    const uint8_t *present, civr_error *err);
%thread;
int civr_batch_new(civr_batch **out, const civr_policy *policy, civr_date date, civr_error *err);
int civr_batch_run(civr_batch *batch, size_t count, uint8_t *status, int64_t *monthly,
                   civr_error *err);
#endif
