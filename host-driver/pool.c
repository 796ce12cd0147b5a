// SPDX-License-Identifier: GPL-2.0
/*
 * A bitmap page allocator over one physical region, implementing
 * struct rmi_allocator.  It backs the guest image's host memory and the
 * unit tests' simulated memory.  Any granule-aligned piece of an
 * allocation may be freed on its own, which the SRO executor relies on
 * when the RMM consumes only part of a block.
 */

#include "rmi.h"

static inline bool pool_test(const struct rmi_page_pool *pool,
			     unsigned long n)
{
	return pool->bitmap[n / BITS_PER_LONG] & BIT(n % BITS_PER_LONG);
}

static void pool_assign(struct rmi_page_pool *pool, unsigned long first,
			unsigned long nr, bool used)
{
	for (unsigned long n = first; n < first + nr; n++) {
		unsigned long *word = &pool->bitmap[n / BITS_PER_LONG];

		if (used)
			*word |= BIT(n % BITS_PER_LONG);
		else
			*word &= ~BIT(n % BITS_PER_LONG);
	}
}

/* First page in use in [first, first + nr), or first + nr. */
static unsigned long pool_find_used(const struct rmi_page_pool *pool,
				    unsigned long first, unsigned long nr)
{
	for (unsigned long n = first; n < first + nr; n++) {
		if (pool_test(pool, n))
			return n;
	}
	return first + nr;
}

static struct rmi_page_pool *to_pool(struct rmi_allocator *allocator)
{
	return container_of(allocator, struct rmi_page_pool, allocator);
}

static phys_addr_t pool_alloc(struct rmi_allocator *allocator,
			      unsigned long size, unsigned long align)
{
	struct rmi_page_pool *pool = to_pool(allocator);
	unsigned long nr = size >> PAGE_SHIFT;
	phys_addr_t addr = pool->base;

	for (;;) {
		unsigned long first, used;

		addr = roundup(addr, (phys_addr_t)align);
		first = (addr - pool->base) >> PAGE_SHIFT;
		if (addr < pool->base || first > pool->nr_pages ||
		    nr > pool->nr_pages - first)
			return RMI_PHYS_INVALID;

		used = pool_find_used(pool, first, nr);
		if (used == first + nr) {
			pool_assign(pool, first, nr, true);
			return addr;
		}
		addr = pool->base + ((phys_addr_t)(used + 1) << PAGE_SHIFT);
	}
}

static bool pool_owns(struct rmi_page_pool *pool, phys_addr_t addr,
		      unsigned long size)
{
	return addr >= pool->base && IS_ALIGNED(addr, PAGE_SIZE) &&
	       IS_ALIGNED(size, PAGE_SIZE) &&
	       ((addr - pool->base) >> PAGE_SHIFT) <= pool->nr_pages &&
	       (size >> PAGE_SHIFT) <=
			pool->nr_pages - ((addr - pool->base) >> PAGE_SHIFT);
}

static int pool_free(struct rmi_allocator *allocator, phys_addr_t addr,
		     unsigned long size)
{
	struct rmi_page_pool *pool = to_pool(allocator);
	unsigned long first = (addr - pool->base) >> PAGE_SHIFT;
	unsigned long nr = size >> PAGE_SHIFT;

	if (!pool_owns(pool, addr, size))
		return -EINVAL;

	for (unsigned long n = first; n < first + nr; n++) {
		if (!pool_test(pool, n))
			return -EINVAL;
	}

	pool_assign(pool, first, nr, false);
	return 0;
}

static int pool_write(struct rmi_allocator *allocator, phys_addr_t addr,
		      const void *buf, unsigned long len)
{
	struct rmi_page_pool *pool = to_pool(allocator);

	if (!pool->virt || addr < pool->base ||
	    addr - pool->base + len > (u64)pool->nr_pages << PAGE_SHIFT)
		return -EINVAL;

	memcpy(pool->virt + (addr - pool->base), buf, len);
	return 0;
}

static int pool_read(struct rmi_allocator *allocator, phys_addr_t addr,
		     void *buf, unsigned long len)
{
	struct rmi_page_pool *pool = to_pool(allocator);

	if (!pool->virt || addr < pool->base ||
	    addr - pool->base + len > (u64)pool->nr_pages << PAGE_SHIFT)
		return -EINVAL;

	memcpy(buf, pool->virt + (addr - pool->base), len);
	return 0;
}

/*
 * @bitmap holds RMI_PAGE_POOL_BITMAP_LONGS(size) longs; @virt maps @base
 * (the guest image runs with the MMU off, so there it is @base itself).
 * Without a mapping (@virt NULL, as under qtest) the caller replaces
 * allocator.write and allocator.read with its own accessors.
 */
int rmi_page_pool_init(struct rmi_page_pool *pool, phys_addr_t base,
		       unsigned long size, unsigned long *bitmap, void *virt)
{
	if (!IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) ||
	    !size || !bitmap)
		return -EINVAL;

	*pool = (struct rmi_page_pool) {
		.allocator = {
			.alloc = pool_alloc,
			.free = pool_free,
			.write = pool_write,
			.read = pool_read,
		},
		.base = base,
		.nr_pages = size >> PAGE_SHIFT,
		.bitmap = bitmap,
		.virt = virt,
	};
	memset(bitmap, 0,
	       RMI_PAGE_POOL_BITMAP_LONGS(size) * sizeof(unsigned long));
	return 0;
}

unsigned long rmi_page_pool_free_bytes(struct rmi_page_pool *pool)
{
	unsigned long free = 0;

	for (unsigned long n = 0; n < pool->nr_pages; n++) {
		if (!pool_test(pool, n))
			free += PAGE_SIZE;
	}
	return free;
}
