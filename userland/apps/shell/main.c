/* SPDX-License-Identifier: MIT */
/* The shell: a prompt on the console service, a line editor (printable
 * characters, backspace, Ctrl-U to erase the line, Ctrl-C to drop it,
 * terminal escape sequences ignored), and the command table. Its output
 * goes through the console too, so it interleaves cleanly with the
 * kernel's own messages only at line ends. */
#include "shell.h"
#include "tsr/console.h"
#include "tsr/service.h"
#include "tsr/string.h"
#include "tsr/sys.h"

#define LINE_MAX 160
#define PROMPT "tessera> "

const struct shell_command shell_commands[] = {
    {"help", "help", "this list", cmd_help},
    {"ls", "ls [DIR]", "list a directory (default /)", cmd_ls},
    {"cat", "cat FILE", "print a file", cmd_cat},
    {"echo", "echo TEXT [> FILE]", "print TEXT, or write it to FILE", cmd_echo},
    {"mkdir", "mkdir DIR", "make a directory", cmd_mkdir},
    {"rm", "rm PATH", "remove a file or an empty directory", cmd_rm},
    {"services", "services", "registered services: VID, program, interfaces and versions",
     cmd_services},
    {"ipcbench", "ipcbench", "measure a few IPC round trips", cmd_ipcbench},
    {"mem", "mem", "memory per program: its budget and the untyped memory it has left", cmd_mem},
    {"poweroff", "poweroff", "switch the machine off", cmd_poweroff},
    {0, 0, 0, 0},
};

int cmd_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("Commands:\n");
    for (const struct shell_command *c = shell_commands; c->name; c++)
        printf("  %-20s %s\n", c->usage, c->help);
    printf("Line editing: Backspace erases a character, Ctrl-U the line, Ctrl-C drops it.\n");
    return 0;
}

static void put(const char *s)
{
    console_write(s, strlen(s));
}

void console_print(const char *s, size_t n)
{
    console_write(s, n);
}

/* Read one line into buf; its length, or -1 if the console is gone. */
static int read_line(char *buf, size_t max)
{
    size_t n = 0;
    static int last;
    for (;;) {
        int c = console_getc();
        if (c < 0)
            return -1;
        int prev = last;
        last = c;
        if (c == '\n' && prev == '\r')
            continue; /* CR LF: the LF ends nothing more */
        if (c == '\r' || c == '\n') {
            put("\n");
            buf[n] = '\0';
            return (int)n;
        }
        if (c == 0x7f || c == '\b') {
            if (n) {
                n--;
                put("\b \b");
            }
        } else if (c == 0x15) { /* Ctrl-U */
            for (; n; n--)
                put("\b \b");
        } else if (c == 0x03) { /* Ctrl-C */
            put("^C\n");
            buf[0] = '\0';
            return 0;
        } else if (c == 0x1b) {
            /* An escape sequence (arrow keys: ESC [ A): skip it. */
            int d = console_getc();
            if (d == '[' || d == 'O')
                while ((d = console_getc()) >= 0 && !(d >= 0x40 && d <= 0x7e))
                    ;
        } else if (c >= 0x20 && c < 0x7f && n + 1 < max) {
            char ch = (char)c;
            buf[n++] = ch;
            console_write(&ch, 1);
        }
    }
}

/* Split at spaces; "double quotes" keep spaces in one argument. */
static int split(char *line, char **argv)
{
    int argc = 0;
    char *p = line;
    while (*p && argc < SHELL_MAX_ARGS) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (*p == '"') {
            argv[argc++] = ++p;
            while (*p && *p != '"')
                p++;
        } else {
            argv[argc++] = p;
            while (*p && *p != ' ')
                p++;
        }
        if (*p)
            *p++ = '\0';
    }
    argv[argc] = 0;
    return argc;
}

static void run(char *line)
{
    char *argv[SHELL_MAX_ARGS + 1];
    int argc = split(line, argv);
    if (argc == 0)
        return;
    for (const struct shell_command *c = shell_commands; c->name; c++) {
        if (strcmp(c->name, argv[0]) == 0) {
            c->run(argc, argv);
            return;
        }
    }
    printf("%s: unknown command (try help)\n", argv[0]);
}

int main(void)
{
    idl_status_t st = console_open(true);
    if (st != IDL_OK) {
        printf("shell: no console: %s\n", tsr_status_text(st));
        return 1;
    }
    console_use_for_printf();
    printf("\nTessera shell. Type help for the commands, poweroff to stop.\n");
    static char line[LINE_MAX];
    for (;;) {
        put(PROMPT);
        if (read_line(line, sizeof(line)) < 0)
            return 1;
        run(line);
    }
}
