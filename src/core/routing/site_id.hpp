#pragma once
// Which site a search reached: the site's position in the list the search was given (its
// search label). One type instead of an int with -1, a label with kNoLabel and a null pointer.
#include <compare>
#include <cstdint>
#include <limits>

namespace maillage {

class SiteId {
public:
    constexpr SiteId() = default;  // no site
    constexpr explicit SiteId(std::uint32_t index) : index_(index) {}
    static constexpr SiteId none() { return SiteId(); }

    [[nodiscard]] constexpr bool valid() const { return index_ != kNone; }
    // The position in the site list; only for a valid id.
    [[nodiscard]] constexpr std::uint32_t index() const { return index_; }
    constexpr auto operator<=>(const SiteId&) const = default;

private:
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t index_ = kNone;
};

}  // namespace maillage
