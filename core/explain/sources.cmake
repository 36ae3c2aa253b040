# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(sockscope_core PRIVATE
    explain/explanation.h explain/explanation.cpp
    explain/explainer.h explain/explainer.cpp explain/bindchecker.cpp
    explain/portsnapshot.h explain/portsnapshot.cpp
    explain/systemlimits.h explain/systemlimits.cpp
)
