# SPDX-License-Identifier: GPL-3.0-or-later
# The TCP state diagram: pure layout data, style, painter and the widget.
target_sources(sockscope_ui PRIVATE
    diagram/diagramlayout.h diagram/diagramlayout.cpp
    diagram/diagramstyle.h diagram/diagramstyle.cpp
    diagram/diagrampainter.h diagram/diagrampainter.cpp
    diagram/statehelp.h diagram/statehelp.cpp
    diagram/statediagramwidget.h diagram/statediagramwidget.cpp
)
