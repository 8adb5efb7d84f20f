/* SPDX-License-Identifier: MIT */
/* Well-known service IDs (VIDs): the services every system has get fixed
 * numbers, so a client can connect to them without a name (names_connect),
 * and the name service gives these numbers to whoever registers the
 * matching name. Other names get VIDs from TSR_VID_FIRST_DYNAMIC up, in
 * registration order. Values are ABI: append only. docs/services.md. */
#ifndef TSR_VID_H
#define TSR_VID_H

#define TSR_VID_NAMES 1u   /* "names": the name service itself */
#define TSR_VID_CONSOLE 2u /* "console": the console service */
#define TSR_VID_VFS 3u     /* "vfs": the file system */
#define TSR_VID_FIRST_DYNAMIC 16u

#endif
