// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "labpanels/culprits.h"

#include <QTextBrowser>

namespace sockscope {

// The lab's transcript: each command as typed and its answer, errors with
// their errno name and explanation inline, and, when the explanation blames
// live sockets, a "select the responsible sockets" link.
class AnswerView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit AnswerView(QWidget *parent = nullptr);

    void addExchange(const QString &line, const ConsoleAnswer &answer);
    int exchangeCount() const { return static_cast<int>(m_exchanges.size()); }
    // The link of the latest exchange that has one, e.g. "focus:3"; empty if none.
    QString lastFocusLink() const;

    // Oldest exchanges are dropped beyond this many.
    static constexpr int kMaxExchanges = 300;

Q_SIGNALS:
    void focusRequested(std::optional<std::uint16_t> port, const QList<std::uint64_t> &cookies);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Exchange
    {
        int number; // stays the same when older ones are dropped: links name it
        QString line;
        ConsoleAnswer answer;
        SocketFocus focus;
    };
    QString html(const Exchange &exchange) const;
    void render();
    void onAnchor(const QUrl &url);

    QList<Exchange> m_exchanges;
    int m_nextNumber = 1;
};

} // namespace sockscope
