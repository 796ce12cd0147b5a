/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The handful of kernel definitions the host driver relies on, so that the
 * same sources build hosted (linked with the model core) and freestanding
 * (the bare-metal guest image) as well as reading like arch/arm64 code.
 */
#ifndef __RMI_COMPAT_H
#define __RMI_COMPAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int64_t s64;
typedef u64 phys_addr_t;

#define BITS_PER_LONG		(8 * (int)sizeof(long))
#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define GENMASK(h, l) \
	((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) \
	((~0ULL << (l)) & (~0ULL >> (63 - (h))))

#define __bf_shf(x)		(__builtin_ffsll(x) - 1)
#define FIELD_GET(mask, reg) \
	((typeof(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_PREP(mask, val) \
	((typeof(mask))(((typeof(mask))(val) << __bf_shf(mask)) & (mask)))

#define SZ_4K			0x00001000UL
#define SZ_64K			0x00010000UL
#define SZ_1M			0x00100000UL
#define SZ_2M			0x00200000UL
#define SZ_4M			0x00400000UL
#define SZ_1G			0x40000000UL

#define PAGE_SHIFT		12
#define PAGE_SIZE		SZ_4K

#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define is_power_of_2(n)	((n) != 0 && (((n) & ((n) - 1)) == 0))

#define min(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b); \
		     __a < __b ? __a : __b; })
#define max(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b); \
		     __a > __b ? __a : __b; })

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __noreturn		__attribute__((noreturn))
#define __maybe_unused		__attribute__((unused))
#define fallthrough		__attribute__((fallthrough))

#if defined(__aarch64__)
#define cpu_relax()		__asm__ __volatile__("yield" ::: "memory")
#else
#define cpu_relax()		__asm__ __volatile__("" ::: "memory")
#endif

/*
 * Hosted builds may run several RMM instances, one per thread (as
 * parallel tests do): what the kernel keeps per CPU is per thread there.
 * The guest image has no thread pointer set up, and a single CPU.
 */
#if __STDC_HOSTED__
#define __rmi_percpu		_Thread_local
#else
#define __rmi_percpu
#endif

#if __STDC_HOSTED__
#include <errno.h>
#include <string.h>
#else
void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *s1, const void *s2, size_t n);
size_t strlen(const char *s);

#define EPERM			1
#define ENOENT			2
#define EIO			5
#define ENXIO			6
#define EAGAIN			11
#define ENOMEM			12
#define EFAULT			14
#define EBUSY			16
#define ENODEV			19
#define EINVAL			22
#define ENOSPC			28
#define ERANGE			34
#define EPROTO			71
#define EOVERFLOW		75
#define EOPNOTSUPP		95
#define ETIMEDOUT		110
#define EINPROGRESS		115
#define ECANCELED		125
#endif

/*
 * printk() is provided by the environment: host-driver/printk.c when
 * hosted, host-driver/guest/printf.c in the guest image.  The level is
 * passed the kernel way, as a "\001<digit>" prefix of the format.
 */
#define KERN_SOH		"\001"
#define KERN_ERR		KERN_SOH "3"
#define KERN_WARNING		KERN_SOH "4"
#define KERN_NOTICE		KERN_SOH "5"
#define KERN_INFO		KERN_SOH "6"
#define KERN_DEBUG		KERN_SOH "7"

int rmi_printk(const char *fmt, ...) __printf(1, 2);
#define printk rmi_printk

#if __STDC_HOSTED__
/* host-driver/printk.c: what reaches stderr, or a hook that takes it all */
extern int rmi_console_loglevel;
extern void (*rmi_printk_hook)(int level, const char *msg);
#endif

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#ifdef DEBUG
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...) \
	({ if (0) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__); 0; })
#endif

#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		printk(KERN_WARNING "WARNING: %s:%d: %s\n",		\
		       __FILE__, __LINE__, #condition);			\
	unlikely(__ret_warn_on);					\
})

#endif /* __RMI_COMPAT_H */
