// SPDX-License-Identifier: GPL-3.0-or-later
#include "panes/eventlogpane.h"

#include "itemmodels/eventlogmodel.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace sockscope {

EventLogPane::EventLogPane(EventLogModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_filter(new QLineEdit(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setObjectName(QStringLiteral("eventLogView"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // Widths from the text they hold: "1234.567890 s", "reset received", "destroy".
    const QFontMetrics metrics = fontMetrics();
    m_view->setColumnWidth(EventLogModel::TimeColumn,
                           metrics.horizontalAdvance(QStringLiteral("0000.000000 s")) + 12);
    m_view->setColumnWidth(EventLogModel::KindColumn,
                           metrics.horizontalAdvance(QStringLiteral("reset received")) + 12);
    m_view->setColumnWidth(EventLogModel::SourceColumn,
                           metrics.horizontalAdvance(QStringLiteral("destroy")) + 12);
    m_view->setColumnWidth(EventLogModel::ChangeColumn, 190);
    m_view->setColumnWidth(EventLogModel::LocalColumn, 150);
    m_view->setColumnWidth(EventLogModel::RemoteColumn, 150);

    m_filter->setObjectName(QStringLiteral("eventLogFilter"));
    m_filter->setPlaceholderText(
        tr("Filter events (state, reset, trace, address, owner, lab id…)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    auto *exportButton = new QToolButton(this);
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save the shown events as JSON lines (.jsonl) or CSV"));
    connect(exportButton, &QToolButton::clicked, this, &EventLogPane::chooseExportFile);
    auto *clearButton = new QToolButton(this);
    clearButton->setText(tr("Clear"));
    connect(clearButton, &QToolButton::clicked, this, [this] { m_model->clear(); });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(exportButton);
    bar->addWidget(clearButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    // Follow new events only while the user is at the bottom.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *scroll = m_view->verticalScrollBar();
        m_view->setProperty("follow", scroll->value() == scroll->maximum());
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_view->property("follow").toBool())
            m_view->scrollToBottom();
    });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        const quint64 id = index.data(EventLogModel::ConnectionIdRole).toULongLong();
        if (id != 0)
            Q_EMIT connectionActivated(id);
    });
}

void EventLogPane::setModel(EventLogModel *model)
{
    m_model = model;
    m_proxy->setSourceModel(m_model);
    m_view->scrollToBottom();
}

QString EventLogPane::exportTo(const QString &path) const
{
    QList<int> rows;
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        rows << m_proxy->mapToSource(m_proxy->index(row, 0)).row();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    const bool json =
        path.endsWith(QLatin1String(".jsonl")) || path.endsWith(QLatin1String(".json"));
    const bool written =
        json ? m_model->exportJsonLines(&file, rows) : m_model->exportCsv(&file, rows);
    if (!written || !file.commit())
        return tr("Writing %1 failed: %2").arg(path, file.errorString());
    return QString();
}

void EventLogPane::chooseExportFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export events"),
                                                      QStringLiteral("sockscope-events.jsonl"),
                                                      tr("JSON lines (*.jsonl);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    const QString error = exportTo(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export events"), error);
}

} // namespace sockscope
