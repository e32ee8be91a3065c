// `swasm wast`: runs .wast scripts (the WebAssembly spec test format) with no outside tool.
#ifndef SWASM_CLI_WAST_H
#define SWASM_CLI_WAST_H

// argv[0] is the first argument after "wast". Returns the exit status: 0 when every command of
// every file passed, 1 when something failed, 2 on a usage error.
int swasm_wast_main(int argc, char **argv);

#endif
