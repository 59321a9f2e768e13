/* The public headers compile as C (this file is C11; the rest of the tests
 * include them from C++). */
#include "civrules/civrules.h"

int civr_test_c_header(void);

int civr_test_c_header(void)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_limits limits = CIVR_LIMITS_INIT;
    civr_load_options load = CIVR_LOAD_OPTIONS_INIT;
    civr_engine_options eng = CIVR_ENGINE_OPTIONS_INIT;
    (void)err;
    (void)limits;
    (void)load;
    (void)eng;
    return CIVRULES_VERSION_NUMBER;
}
