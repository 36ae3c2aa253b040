// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <utility>
#include <variant>

namespace sockscope {

// A failure as the whole project reports it: the errno value (0 when no errno
// applies, e.g. a malformed message) and one sentence a user can act on.
struct Error
{
    int errnum = 0;
    QString message;

    static Error fromErrno(int errnum, const QString &what);
    // The symbolic errno name ("EADDRINUSE"), or "E<number>" for unknown values,
    // "EINVAL" when errnum is 0.
    QString errnoName() const;
};

// Value or Error. The project is C++20, where std::expected is not available;
// this is the small subset of it we use, so it can be swapped later.
template <typename T> class Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<0>(m_data); }
    const T &value() const { return std::get<0>(m_data); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

struct Ok
{
};
using Status = Result<Ok>;

} // namespace sockscope
