/* SPDX-License-Identifier: MIT */
/* The shell's file commands, over the file system service (vfs.idl). */
#include "shell.h"

int shell_write_file(const char *path, const char *text, bool newline)
{
    (void)text, (void)newline;
    printf("echo: %s: no file system yet\n", path);
    return 1;
}

int cmd_ls(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("ls: no file system yet\n");
    return 1;
}

int cmd_cat(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("cat: no file system yet\n");
    return 1;
}

int cmd_mkdir(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("mkdir: no file system yet\n");
    return 1;
}

int cmd_rm(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("rm: no file system yet\n");
    return 1;
}
