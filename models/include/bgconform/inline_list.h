// A list of at most N trivially copyable values kept inline (no allocation), whose slots are left
// unmade until a value is added: lists of this kind are made on every checked step (a traced step's
// sweep, an Advance's answers), and giving every slot its default value first was a measurable part
// of those steps.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>

namespace bgc {

template <class T, std::size_t N>
class InlineList {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "the list copies and drops its slots as bytes");
  static_assert(N <= 255, "the count is one byte");

 public:
  static constexpr std::size_t kCapacity = N;
  InlineList() {}  // leaves the slots unmade
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == kCapacity; }
  T* data() { return items_.data(); }
  const T* data() const { return items_.data(); }
  T* begin() { return items_.data(); }
  T* end() { return items_.data() + size_; }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + size_; }
  T& operator[](std::size_t i) { return items_[i]; }
  const T& operator[](std::size_t i) const { return items_[i]; }
  // Callers check full() first where the count is not theirs to bound (a report read from a file).
  T& push_back(const T& v) { return *std::construct_at(&items_[size_++], v); }
  operator std::span<const T>() const { return {data(), size_}; }

 private:
  union {
    std::array<T, N> items_;
  };
  std::uint8_t size_ = 0;
};

}  // namespace bgc
