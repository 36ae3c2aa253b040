// SPDX-License-Identifier: GPL-3.0-or-later
#include "guitesting.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

namespace sockscope::test {

void retype(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

bool choose(QComboBox *combo, const QString &keyword)
{
    const int index = combo->findData(keyword);
    if (index < 0)
        return false;
    combo->setCurrentIndex(index);
    return true;
}

bool clickLink(QTextBrowser *browser, const QString &href)
{
    QTextDocument *document = browser->document();
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.charFormat().anchorHref() != href)
                continue;
            QTextCursor cursor(document);
            cursor.setPosition(fragment.position() + fragment.length() / 2);
            browser->setTextCursor(cursor);
            browser->ensureCursorVisible();
            QTest::mouseClick(browser->viewport(), Qt::LeftButton, {},
                              browser->cursorRect(cursor).center());
            return true;
        }
    }
    return false;
}

bool saveShotsForPeople(QWidget *window, const QString &prefix, const QString &dock)
{
    if (auto *raised = dock.isEmpty() ? nullptr : window->findChild<QDockWidget *>(dock))
        raised->raise();
    const QPalette light = QApplication::palette();
    bool saved = true;
    for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
        for (const bool dark : {false, true}) {
            QApplication::setPalette(dark ? darkPalette() : light);
            window->resize(size);
            QTest::qWait(300); // layout and the next batch's paint, for the picture only
            saved = window->grab().save(QStringLiteral("%1-%2x%3%4.png")
                                            .arg(prefix)
                                            .arg(size.width())
                                            .arg(size.height())
                                            .arg(dark ? QStringLiteral("-dark") : QString())) &&
                    saved;
        }
    }
    QApplication::setPalette(light);
    return saved;
}

} // namespace sockscope::test
