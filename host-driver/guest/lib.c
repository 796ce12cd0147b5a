// SPDX-License-Identifier: GPL-2.0
/*
 * The little runtime of the guest image: string functions the compiler
 * may call, a PL011 console with printf(), PSCI and the check list.
 */

#include "guest.h"

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;

	while (n--)
		*p++ = (u8)c;
	return s;
}

void *memcpy(void *dest, const void *src, size_t n)
{
	u8 *d = dest;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
	u8 *d = dest;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dest, src, n);
	while (n--)
		d[n] = s[n];
	return dest;
}

int memcmp(const void *s1, const void *s2, size_t n)
{
	const u8 *a = s1, *b = s2;

	for (; n; n--, a++, b++) {
		if (*a != *b)
			return *a - *b;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_TXFF	BIT(5)
#define UARTCR		0x30
#define UARTCR_UARTEN	BIT(0)
#define UARTCR_TXE	BIT(8)

static void uart_putc(char c)
{
	volatile u32 *fr = (volatile u32 *)(PL011_BASE + UARTFR);
	volatile u32 *dr = (volatile u32 *)(PL011_BASE + UARTDR);
	volatile u32 *cr = (volatile u32 *)(PL011_BASE + UARTCR);
	static bool enabled;

	/*
	 * Firmware leaves the UART as it found it: enable it, or QEMU logs
	 * every byte as written to a disabled UART (-d guest_errors).
	 */
	if (!enabled) {
		*cr = UARTCR_UARTEN | UARTCR_TXE;
		enabled = true;
	}

	/* A console that never drains must not hang us: drop the byte. */
	for (unsigned int spins = 0; *fr & UARTFR_TXFF; spins++) {
		if (spins > 1000000)
			return;
	}
	*dr = (u8)c;
}

void guest_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct outbuf *out, char c)
{
	if (out->len + 1 < out->size)
		out->buf[out->len] = c;
	out->len++;
}

static void out_number(struct outbuf *out, unsigned long long val,
		       unsigned int base, bool upper, bool negative,
		       int width, char pad, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = digits[val % base];
		val /= base;
	} while (val);

	len = n + (negative ? 1 : 0) + (int)strlen(prefix);
	if (pad == ' ')
		for (; width > len; width--)
			out_char(out, ' ');
	if (negative)
		out_char(out, '-');
	while (*prefix)
		out_char(out, *prefix++);
	for (; width > len; width--)
		out_char(out, '0');
	while (n)
		out_char(out, tmp[--n]);
}

static void out_string(struct outbuf *out, const char *s, int width,
		       bool left)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strlen(s);
	if (!left)
		for (; width > len; width--)
			out_char(out, ' ');
	while (*s)
		out_char(out, *s++);
	if (left)
		for (; width > len; width--)
			out_char(out, ' ');
}

/* Enough of printf: flags -0#, width, h/l/ll/z, d i u x X p s c %. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct outbuf out = { .buf = buf, .size = size };

	for (; *fmt; fmt++) {
		bool left = false, alt = false, is_signed = false;
		unsigned long long val;
		unsigned int base = 10;
		int width = 0, lng = 0;
		char pad = ' ';

		if (*fmt != '%') {
			out_char(&out, *fmt);
			continue;
		}

		for (fmt++; ; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
			if (*fmt != 'h')
				lng++;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'x':
		case 'X':
			base = 16;
			break;
		case 'p':
			base = 16;
			alt = true;
			lng = 1;
			break;
		case 's':
			out_string(&out, va_arg(args, const char *), width,
				   left);
			continue;
		case 'c':
			out_char(&out, (char)va_arg(args, int));
			continue;
		case '\0':
			fmt--;
			continue;
		default:
			out_char(&out, *fmt);
			continue;
		}

		if (*fmt == 'p')
			val = (unsigned long)va_arg(args, void *);
		else if (lng >= 2)
			val = va_arg(args, unsigned long long);
		else if (lng == 1)
			val = va_arg(args, unsigned long);
		else
			val = va_arg(args, unsigned int);

		if (is_signed) {
			long long sval = lng >= 1 ? (long long)val : (int)val;
			u64 mag = sval < 0 ? -(u64)sval : (u64)sval;

			out_number(&out, mag, 10, false, sval < 0, width, pad,
				   "");
		} else {
			out_number(&out, val, base, *fmt == 'X', false, width,
				   left ? ' ' : pad,
				   alt && base == 16 && val ? "0x" : "");
		}
	}

	if (size)
		buf[min(out.len, size - 1)] = '\0';
	return (int)out.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int len;

	va_start(args, fmt);
	len = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return len;
}

/*
 * Several CPUs print and check at once in the SMP image: a line, and a
 * check's count and verdict, are written under one lock.  A plain
 * exclusive-access spinlock (no libgcc, so no outline atomics).
 */
static unsigned int console_lock_word;

void console_lock(void)
{
	unsigned int tmp;

	asm volatile("	sevl\n"
		     "1:	wfe\n"
		     "2:	ldaxr	%w0, [%1]\n"
		     "	cbnz	%w0, 1b\n"
		     "	stxr	%w0, %w2, [%1]\n"
		     "	cbnz	%w0, 2b\n"
		     : "=&r" (tmp) : "r" (&console_lock_word), "r" (1)
		     : "memory");
}

void console_unlock(void)
{
	asm volatile("stlr	wzr, [%0]\n"
		     "sev" :: "r" (&console_lock_word) : "memory");
}

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list args;
	int len;

	va_start(args, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	console_lock();
	guest_puts(buf);
	console_unlock();
	return len;
}

/* Driver messages become TAP comments, so they never look like results. */
int rmi_printk(const char *fmt, ...)
{
	char buf[256];
	va_list args;
	int len;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		if (fmt[1] == '7')
			return 0;
		fmt += 2;
	}

	va_start(args, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	guest_puts("# ");
	guest_puts(buf);
	return len;
}

unsigned long psci_call(unsigned long fid)
{
	register unsigned long x0 asm("x0") = fid;

	asm volatile("smc	#0"
		     : "+r" (x0)
		     :
		     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
		       "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		       "memory");
	return x0;
}

static void __noreturn psci_off_hvc(void)
{
	register unsigned long x0 asm("x0") = PSCI_0_2_FN_SYSTEM_OFF;

	asm volatile("hvc	#0" : "+r" (x0) : : "memory");
	for (;;)
		asm volatile("wfe");
}

unsigned int current_el(void)
{
	unsigned long el;

	asm volatile("mrs	%0, CurrentEL" : "=r" (el));
	return (el >> 2) & 3;
}

u64 read_cntvct(void)
{
	u64 val;

	asm volatile("isb; mrs	%0, cntvct_el0" : "=r" (val) : : "memory");
	return val;
}

unsigned long smc_call3(unsigned long fid, unsigned long a1, unsigned long a2,
			unsigned long a3)
{
	register unsigned long x0 asm("x0") = fid;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;

	asm volatile("smc	#0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9",
		       "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		       "memory");
	return x0;
}

unsigned long smc_call1(unsigned long fid, unsigned long arg)
{
	return smc_call3(fid, arg, 0, 0);
}

u64 read_id_aa64mmfr0(void)
{
	u64 val;

	asm volatile("mrs	%0, id_aa64mmfr0_el1" : "=r" (val));
	return val;
}

u64 read_id_aa64pfr0(void)
{
	u64 val;

	asm volatile("mrs	%0, id_aa64pfr0_el1" : "=r" (val));
	return val;
}

/* What a secondary started at secondary_entry runs: the SMP image's. */
void __attribute__((weak)) secondary_main(unsigned int cpu)
{
}

unsigned int cpu_index(void)
{
	u64 mpidr;

	asm volatile("mrs	%0, mpidr_el1" : "=r" (mpidr));
	return mpidr & 0xff;
}

u64 read_cntfrq(void)
{
	u64 val;

	asm volatile("mrs	%0, cntfrq_el0" : "=r" (val));
	return val;
}

static unsigned int checks_run, checks_failed;
static const char *check_current;

void check_begin(const char *name)
{
	check_current = name;
}

bool check(bool pass, const char *name, const char *fmt, ...)
{
	char detail[160], line[256];
	va_list args;

	if (!pass) {
		va_start(args, fmt);
		vsnprintf(detail, sizeof(detail), fmt, args);
		va_end(args);
	}
	console_lock();
	checks_run++;
	check_current = NULL;
	if (pass) {
		snprintf(line, sizeof(line), "ok %u - %s\n", checks_run, name);
	} else {
		checks_failed++;
		snprintf(line, sizeof(line), "not ok %u - %s (%s)\n", checks_run,
			 name, detail);
	}
	guest_puts(line);
	console_unlock();
	return pass;
}

int check_summary(void)
{
	if (!checks_failed && checks_run) {
		printf("RMM-EMU GUEST: PASS (%u checks)\n", checks_run);
		return 0;
	}
	printf("RMM-EMU GUEST: FAIL (%u of %u checks failed)\n",
	       checks_failed, checks_run);
	return 1;
}

void __noreturn guest_exit(int status)
{
	psci_call(PSCI_0_2_FN_SYSTEM_OFF);
	psci_call(PSCI_0_2_FN_SYSTEM_RESET);
	printf("# PSCI SYSTEM_OFF failed (status %d)\n", status);
	for (;;)
		asm volatile("wfe");
}

/*
 * An unexpected exception fails the check under way and powers off.  If
 * powering off by SMC faults too (no EL3 and no SMC conduit), try HVC.
 */
void __noreturn guest_exception(unsigned long vector, unsigned long esr,
				unsigned long elr, unsigned long far)
{
	static unsigned int depth;

	if (depth++ == 1)
		psci_off_hvc();
	if (depth > 2)
		for (;;)
			asm volatile("wfe");

	check(false, check_current ? check_current : "unexpected exception",
	      "exception vector=%lu esr=%#lx elr=%#lx far=%#lx",
	      vector, esr, elr, far);
	check_summary();
	guest_exit(1);
}

u64 time_psci_version(unsigned long n, unsigned long *bad)
{
	u64 start = read_cntvct();

	for (unsigned long i = 0; i < n; i++) {
		if (psci_call(PSCI_0_2_FN_PSCI_VERSION) >> 31)
			(*bad)++;
	}
	return read_cntvct() - start;
}

void sort_u64(u64 *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

struct rmi_allocator *guest_rmm_up(void)
{
	static struct rmi_smc_conduit smc;
	static struct rmi_page_pool pool;
	static unsigned long bitmap[RMI_PAGE_POOL_BITMAP_LONGS(GUEST_POOL_SIZE)];
	static struct rmi_sro_state activate_sro;
	int ret;

	rmi_smc_conduit_init(&smc);
	rmi_set_conduit(&smc.conduit);
	rmi_page_pool_init(&pool, GUEST_POOL_BASE, GUEST_POOL_SIZE, bitmap,
			   (void *)GUEST_POOL_BASE);
	check_begin("rmm_init");
	ret = rmi_rmm_init(&pool.allocator, &activate_sro);
	return check(!ret, "rmm_init", "ret=%d X0=%#lx", ret,
		     activate_sro.regs.a0) ? &pool.allocator : NULL;
}
