# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(sockscope PRIVATE
    cli/stdinlinereader.h cli/stdinlinereader.cpp
    cli/labcommand.h cli/labcommand.cpp
    cli/scenariocommand.h cli/scenariocommand.cpp
)
