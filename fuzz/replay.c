/*
 * Run a libFuzzer target over files without libFuzzer: replay FILE... or
 * every file of DIR... once each (a regression test of the corpus). One
 * TAP line per argument: a crash fails the whole run anyway.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *data = malloc(n > 0 ? (size_t)n : 1);
    size_t got = data ? fread(data, 1, (size_t)n, f) : 0;
    fclose(f);
    if (!data || got != (size_t)n) {
        free(data);
        fprintf(stderr, "%s: cannot read\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput(data, got);
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    int failures = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        int bad = 0, inputs = 0;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            struct dirent **names;
            int n = scandir(argv[i], &names, NULL, alphasort);
            bad = n < 0;
            for (int k = 0; k < n; k++) {
                if (names[k]->d_name[0] != '.') {
                    char path[4096];
                    snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
                    bad += run_file(path);
                    inputs++;
                }
                free(names[k]);
            }
            free(names);
        } else {
            bad = run_file(argv[i]);
            inputs = 1;
        }
        printf("%s - %s (%d inputs)\n", bad ? "not ok" : "ok", argv[i], inputs);
        failures += bad != 0;
    }
    printf("1..%d\n", argc - 1);
    return failures != 0;
}
