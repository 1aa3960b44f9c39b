/* cli/wattsim.c - main() of the wattsim command (the command itself is
 * cli_main in cli/main.c, which the fuzz target of tests/fuzz also calls).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "cli.h"

int main(int argc, char **argv) { return cli_main(argc, argv); }
