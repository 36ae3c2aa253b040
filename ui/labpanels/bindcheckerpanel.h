// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Declares the ConsoleAnswer metatype our signals carry (before moc instantiates it).
#include "session/labsession.h"

#include <cstdint>
#include <optional>
#include <QWidget>

class QLabel;
class QPushButton;

namespace sockscope {

class BindCheckForm;
class BlockerList;

// "Why can't I bind this port?": runs `check ADDR:PORT [reuseaddr] [reuseport]`
// through the lab (a real probe bind plus the dump of the port) and shows the
// verdict, the explanation, and the sockets in the way with when they go
// away. Selecting a socket selects it in the window's table.
class BindCheckerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit BindCheckerPanel(LabSession *session, QWidget *parent = nullptr);

    // Runs the form's check; false when the lab is busy or the address is empty.
    bool check();
    // Runs the last check again.
    bool recheck();

    BindCheckForm *form() const { return m_form; }
    QLabel *verdictLabel() const { return m_verdict; }
    QLabel *summaryLabel() const { return m_summary; }
    BlockerList *blockerList() const { return m_blockers; }
    QLabel *selectAllLink() const { return m_selectAll; }
    QPushButton *recheckButton() const { return m_recheck; }
    QSize sizeHint() const override;

Q_SIGNALS:
    void focusRequested(std::optional<std::uint16_t> port, const QList<std::uint64_t> &cookies);
    // A check of ours was answered and shown.
    void checked(const sockscope::ConsoleAnswer &answer);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool submit(const QString &line);
    void onAnswered(std::uint64_t request, const QString &line, const ConsoleAnswer &answer);
    void show(const QString &line, const ConsoleAnswer &answer);
    void paintVerdict();
    void paintLink();
    void focusOn(const QList<std::uint64_t> &cookies);
    void setBusy(bool busy);

    LabSession *m_session;
    BindCheckForm *m_form;
    QLabel *m_verdict;
    QLabel *m_summary;
    QLabel *m_note;
    QLabel *m_heading;
    QLabel *m_selectAll;
    BlockerList *m_blockers;
    QPushButton *m_recheck;
    std::uint64_t m_request = 0; // the check in flight, 0 when none
    QString m_lastLine;
    std::optional<std::uint16_t> m_port; // the port the shown culprits share
    std::optional<bool> m_canBind;       // nullopt before the first answer
    bool m_busy = false;
    int m_selectionChanges = 0; // of the blocker list, to tell presses that changed none
    int m_selectionChangesAtPress = -1;
};

} // namespace sockscope
