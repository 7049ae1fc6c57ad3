#pragma once
// An immutable array of a graph or an index: either built in memory (owned) or a view into a
// memory-mapped graph cache (graph_cache), kept alive by the mapping it points into. Graphs
// never change after construction, so copies share the storage: a reversed graph shares its
// nodes and shapes with the forward one, and a mapped file is read by every copy in place.
#include <cstddef>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

namespace maillage {

template <class T>
class Column {
    static_assert(std::is_trivially_copyable_v<T>, "a column is raw memory: it must be writable as bytes");

public:
    Column() = default;
    explicit Column(std::vector<T> values) {
        auto owned = std::make_shared<std::vector<T>>(std::move(values));
        view_ = std::span<const T>(*owned);
        owned_ = owned.get();
        keep_ = std::move(owned);
    }
    // A view into memory owned by `keep` (a mapped file).
    Column(std::span<const T> view, std::shared_ptr<const void> keep) : view_(view), keep_(std::move(keep)) {}

    [[nodiscard]] std::size_t size() const { return view_.size(); }
    [[nodiscard]] bool empty() const { return view_.empty(); }
    [[nodiscard]] const T& operator[](std::size_t i) const { return view_[i]; }
    [[nodiscard]] const T* data() const { return view_.data(); }
    [[nodiscard]] auto begin() const { return view_.begin(); }
    [[nodiscard]] auto end() const { return view_.end(); }
    [[nodiscard]] std::span<const T> span() const { return view_; }
    [[nodiscard]] std::size_t bytes() const { return view_.size_bytes(); }

    // The values as a vector, leaving this column empty: moved out without a copy when this
    // column alone holds memory it owns (a graph being rebuilt into the next), copied otherwise.
    std::vector<T> take() {
        std::vector<T> out;
        if (owned_ && keep_.use_count() == 1) out = std::move(*owned_);
        else out.assign(view_.begin(), view_.end());
        *this = Column();
        return out;
    }

private:
    std::span<const T> view_;
    std::shared_ptr<const void> keep_;
    std::vector<T>* owned_ = nullptr;  // the vector keep_ holds, when built in memory
};

}  // namespace maillage
