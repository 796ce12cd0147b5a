# SPDX-License-Identifier: GPL-2.0-or-later
# Devices of the rmm-emu QEMU build (--with-devices-aarch64=rme): the virt
# machine, the rme machine with its emulated RMM, and what an NS payload
# (the bundled guest image, a Linux CCA host) needs to boot and talk.
# Virtio devices are the virtio-mmio ones (virtio-blk-device, ...): the PCI
# variants want option ROMs that Debian's source tarball does not ship.
CONFIG_ARM_VIRT=y
CONFIG_RMM_EMU=y
CONFIG_GENERIC_LOADER=y
CONFIG_VIRTIO_SERIAL=y
CONFIG_VIRTIO_BLK=y
CONFIG_VIRTIO_NET=y
CONFIG_VIRTIO_RNG=y
