# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(sockscope_core PRIVATE
    lab/labtypes.h lab/labtypes.cpp
    lab/lab.h lab/lab.cpp
    lab/uniquefd.h
    lab/labsockets.h lab/labsockets.cpp
    lab/eventreporter.h lab/eventreporter.cpp
    lab/acceptthread.h lab/acceptthread.cpp
    lab/acceptedconnection.h lab/acceptedconnection.cpp
    lab/listener.h lab/listener.cpp
    lab/clientconnector.h lab/clientconnector.cpp
    lab/clientconnection.h lab/clientconnection.cpp
    lab/serverreport.h lab/serverreport.cpp
    lab/serverprocess.h lab/serverprocess.cpp
    lab/labserver.h lab/labserver.cpp
)
