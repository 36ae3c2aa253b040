# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(sockscope_core PRIVATE
    console/consolecommand.h
    console/consolegrammar.h console/consolegrammar.cpp
    console/consoletokens.h console/consoletokens.cpp
    console/specparsers.h console/specparsers.cpp
    console/commandparser.h console/commandparser.cpp
    console/consoleanswer.h console/consoleanswer.cpp
    console/kernelcommands.h console/kernelcommands.cpp
    console/labanswers.h console/labanswers.cpp
    console/labconsole.h console/labconsole.cpp
)
