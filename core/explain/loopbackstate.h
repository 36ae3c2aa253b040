// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"

#include <QString>

namespace sockscope {

// The one home for "loopback is down in this network namespace": a fresh
// `unshare -n` starts with `lo` down, and then every connect to 127.0.0.1
// fails with ENETUNREACH and every bind of it with EADDRNOTAVAIL, errors that
// alone do not say why.

// Whether `lo` of the caller's network namespace lacks IFF_UP. False when the
// flags cannot be read: only a known-down loopback is blamed.
bool loopbackIsDown();

// Whether the address is one that only loopback serves (127.0.0.0/8, ::1,
// ::ffff:127.x, or the unspecified address, which connect() sends to loopback).
bool servedByLoopback(Family family, const Endpoint &endpoint);

// "loopback is down in this network namespace: run `ip link set lo up`"; in a
// namespace entered through a NamespaceScope, "... in network namespace blue:
// run `ip -n blue link set lo up`".
QString loopbackDownText();

} // namespace sockscope
