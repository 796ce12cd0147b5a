// SPDX-License-Identifier: GPL-2.0
/*
 * printk() for hosted builds: messages go to stderr, filtered by level, or
 * to a hook that tests install to count or capture them.
 */

#include <stdio.h>

#include "rmi.h"

int rmi_console_loglevel = 4;	/* KERN_WARNING and more severe */
void (*rmi_printk_hook)(int level, const char *msg);

int rmi_printk(const char *fmt, ...)
{
	char buf[512];
	int level = 4;
	va_list args;
	int len;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}

	va_start(args, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);

	if (rmi_printk_hook)
		rmi_printk_hook(level, buf);
	else if (level <= rmi_console_loglevel)
		fputs(buf, stderr);
	return len;
}
