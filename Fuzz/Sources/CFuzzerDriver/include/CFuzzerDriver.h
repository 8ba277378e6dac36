#ifndef EDGESIM_FUZZER_DRIVER_H
#define EDGESIM_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// The function libFuzzer calls with each input.
typedef int (*EdgeSimFuzzTarget)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver with the command line and `target`, then exits
/// with its status. Built without `-sanitize=fuzzer` (no libFuzzer linked),
/// it instead feeds `target` each file named on the command line once, so
/// crash files can be replayed under a debugger or plain build.
void EdgeSimRunFuzzer(int argc, char **argv, EdgeSimFuzzTarget target)
    __attribute__((noreturn));

#endif
