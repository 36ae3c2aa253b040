// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <QByteArray>
#include <type_traits>

// Reads typed values off the front of a fuzz input; past its end every value
// is zero, so any input, even an empty one, builds a whole object.
class FuzzBytes
{
public:
    FuzzBytes(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) {}

    template <typename T> T take()
    {
        static_assert(std::is_trivially_copyable_v<T>);
        T value{};
        const std::size_t n = std::min(sizeof value, m_size);
        std::memcpy(&value, m_data, n);
        skip(n);
        return value;
    }
    // Up to `maximum` bytes, as many as the next byte says.
    QByteArray takeBytes(std::size_t maximum)
    {
        const std::size_t n = std::min<std::size_t>({take<std::uint8_t>(), maximum, m_size});
        QByteArray bytes(reinterpret_cast<const char *>(m_data), static_cast<qsizetype>(n));
        skip(n);
        return bytes;
    }

private:
    void skip(std::size_t n)
    {
        m_data += n;
        m_size -= n;
    }
    const std::uint8_t *m_data;
    std::size_t m_size;
};
