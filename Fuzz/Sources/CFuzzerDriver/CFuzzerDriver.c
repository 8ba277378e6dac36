#include "CFuzzerDriver.h"

#include <stdio.h>
#include <stdlib.h>

// libFuzzer's entry point for programs that have their own `main`. SwiftPM
// links an executable's `main` to its top-level code (`--defsym
// main=<module>_main`), so libFuzzer's `main` is never the one that runs and
// the driver has to be started by hand. Weak: absent without -sanitize=fuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, EdgeSimFuzzTarget target)
    __attribute__((weak));

static int replay(const char *path, EdgeSimFuzzTarget target) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    perror(path);
    return 1;
  }
  size_t capacity = 1 << 16, size = 0;
  uint8_t *data = malloc(capacity);
  size_t n;
  while (data != NULL && (n = fread(data + size, 1, capacity - size, file)) > 0) {
    size += n;
    if (size == capacity) {
      capacity *= 2;
      data = realloc(data, capacity);
    }
  }
  fclose(file);
  if (data == NULL) {
    fprintf(stderr, "%s: out of memory\n", path);
    return 1;
  }
  fprintf(stderr, "Running: %s (%zu bytes)\n", path, size);
  target(data, size);
  free(data);
  return 0;
}

void EdgeSimRunFuzzer(int argc, char **argv, EdgeSimFuzzTarget target) {
  if (LLVMFuzzerRunDriver != NULL) {
    exit(LLVMFuzzerRunDriver(&argc, &argv, target));
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') continue;  // libFuzzer flags
    status |= replay(argv[i], target);
  }
  exit(status);
}
