/* SPDX-License-Identifier: GPL-2.0 */
/* The realm payload, as the host copies it into the realm's first pages. */
	.section .rodata.realm_payload, "a"
	.balign	4096
	.global	realm_payload, realm_payload_end
realm_payload:
	.incbin	REALM_PAYLOAD_BIN
realm_payload_end:
