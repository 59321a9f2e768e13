// Helpers shared by the test programs.
#pragma once

#include <string>

#include "civrules/civrules.h"

namespace civt {

// An error as `file:line:col: error: [CIVR-NNNN] message`.
std::string format(const civr_error &e);

// Load a bundle; on failure returns nullptr and fills `error` with the first error.
civr_policy *load(const std::string &dir, std::string *error = nullptr);

// A temporary bundle folder over `parent` (a path from the source root, or absolute) with
// one policy file; removed when the object goes away.
struct TempBundle {
    std::string dir;
    TempBundle(const std::string &parent, const std::string &policy_yaml);
    ~TempBundle();
    // Write another file of the bundle (folders made as needed).
    void file(const std::string &name, const std::string &text) const;
    TempBundle(const TempBundle &) = delete;
    TempBundle &operator=(const TempBundle &) = delete;
};

// Each program of `result` that could not be evaluated, one per line:
// "\nprogram ID: error: FILE:LINE:COL: error: [CIVR-NNNN] ..."; "" when none.
std::string program_errors(const civr_result *result);

// Evaluate a household (JSON or YAML text) and return the result JSON
// followed by program_errors(), or the error formatted, prefixed "error: ".
std::string eval_json(const civr_policy *p, const std::string &household, const char *date,
                      unsigned flags = 0);

// Initialise GoogleTest in the current folder (its reports go there), change
// to $CIVRULES_SOURCE_ROOT, call `before` (may be null), run every test.
int test_main(int argc, char **argv, void (*before)(void));

// Absolute path of a file in the source tree.
std::string source_path(const std::string &relative);

} // namespace civt
