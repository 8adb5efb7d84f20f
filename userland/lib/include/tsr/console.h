/* SPDX-License-Identifier: MIT */
/* The console service from a program's side (console.idl,
 * docs/services.md): write text, and read typed characters one at a time,
 * sleeping on the program's own notification until input arrives. */
#ifndef TSR_CONSOLE_H
#define TSR_CONSOLE_H

#include <stddef.h>

#include <idl/kernel.h>

/* Connect to the console (well-known VID 2; the description must let the
 * program use "console"). As `reader`, also become the one program that
 * reads its input. */
idl_status_t console_open(bool reader);
/* Write n bytes ("\n" becomes "\r\n" on the wire). */
idl_status_t console_write(const char *s, size_t n);
/* The next typed character (waits for one); -1 if the console is gone. */
int console_getc(void);
/* The transport to the console (after console_open), for console.idl's
 * stubs themselves. */
idl_transport *console_transport(void);
/* Send printf's output to the console from now on. */
void console_use_for_printf(void);

#endif
