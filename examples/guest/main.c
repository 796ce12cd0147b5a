// SPDX-License-Identifier: GPL-2.0
/*
 * A bare-metal host image of your own (docs/using-it.rst, second
 * example): it boots at NS-EL2 on -machine rme, brings the RMM up with
 * the bundled host driver, delegates a page and gives it back.  Build it
 * with the installed template:
 *
 *   make -f $PREFIX/share/rmm-emu/guest-template/Makefile MAIN=main.c
 *   $PREFIX/bin/qemu-system-aarch64 -machine rme -nographic -kernel guest.elf
 *
 * Its last line says PASS or FAIL.
 */

#include "guest.h"

int main(void)
{
	struct rmi_allocator *a;
	phys_addr_t page, top;

	printf("# my rmm-emu host image: EL%u\n", current_el());
	a = guest_rmm_up();		/* RMI_VERSION, CONFIG_SET, ACTIVATE */
	if (!a)
		return check_summary();

	page = rmi_alloc(a, PAGE_SIZE, PAGE_SIZE);
	check_begin("delegate");
	check(rmi_delegate_range(page, PAGE_SIZE, &top) == 0 &&
	      top == page + PAGE_SIZE, "delegate", "top %#llx",
	      (unsigned long long)top);
	check_begin("undelegate");
	check(rmi_undelegate_range(page, PAGE_SIZE, &top) == 0,
	      "undelegate", "top %#llx", (unsigned long long)top);
	rmi_free(a, page, PAGE_SIZE);
	return check_summary();
}
