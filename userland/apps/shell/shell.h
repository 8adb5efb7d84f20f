/* SPDX-License-Identifier: MIT */
/* The shell (docs/shell.md): a command line on the console service. main.c
 * reads and edits lines and runs commands from the table; each command is
 * a function of its arguments, in commands.c (system and services) and
 * files.c (the file system). */
#ifndef SHELL_H
#define SHELL_H

#include <stdbool.h>
#include <stdint.h>

#include "tsr/stdio.h"

#define SHELL_MAX_ARGS 16

struct shell_command {
    const char *name;
    const char *usage;
    const char *help;
    int (*run)(int argc, char **argv);
};

extern const struct shell_command shell_commands[];

int cmd_help(int argc, char **argv);
int cmd_echo(int argc, char **argv);
int cmd_services(int argc, char **argv);
int cmd_ipcbench(int argc, char **argv);
int cmd_mem(int argc, char **argv);
int cmd_poweroff(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_mkdir(int argc, char **argv);
int cmd_rm(int argc, char **argv);

/* Print n bytes as they are (a file's contents). */
void console_print(const char *s, size_t n);
/* Write TEXT into FILE (echo's "> FILE"); 0 or an error printed. */
int shell_write_file(const char *path, const char *text, bool newline);

#endif
