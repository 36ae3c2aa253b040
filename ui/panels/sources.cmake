# SPDX-License-Identifier: GPL-3.0-or-later
# The lab panel (forms, objects, transcript) and the bind checker panel.
target_sources(sockscope_ui PRIVATE
    panels/statuscolors.h panels/statuscolors.cpp
    panels/culprits.h panels/culprits.cpp
    panels/panelsize.h
    panels/labchoices.h panels/labchoices.cpp
    panels/labform.h panels/labform.cpp
    panels/listenerform.h panels/listenerform.cpp
    panels/clientform.h panels/clientform.cpp
    panels/serverform.h panels/serverform.cpp
    panels/labobjectlist.h panels/labobjectlist.cpp
    panels/answerview.h panels/answerview.cpp
    panels/labpanel.h panels/labpanel.cpp
    panels/bindcheckform.h panels/bindcheckform.cpp
    panels/blockerlist.h panels/blockerlist.cpp
    panels/bindcheckerpanel.h panels/bindcheckerpanel.cpp
)
