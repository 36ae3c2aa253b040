# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(sockscope_core PRIVATE
    scenarios/scenario.h scenarios/scenario.cpp
    scenarios/scenariocatalog.h scenarios/scenariocatalog.cpp
    scenarios/s1closedlistener.cpp scenarios/s2accepterrors.cpp scenarios/s3sharedport.cpp
    scenarios/s4closewait.cpp scenarios/s5restart.cpp scenarios/s6gracefulstop.cpp
    scenarios/scenarioports.h scenarios/scenarioports.cpp
    scenarios/transcript.h scenarios/transcript.cpp
    scenarios/expectationcheck.h scenarios/expectationcheck.cpp
    scenarios/scenariorunner.h scenarios/scenariorunner.cpp
    scenarios/transcriptformat.h scenarios/transcriptformat.cpp
)
