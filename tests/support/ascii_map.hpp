#pragma once
// Valhalla-gurka-style fixtures: a road map drawn in ASCII. Each letter is a node;
// one character column and one text row are `grid` metres apart. Ways are strings of
// node letters with a round speed, so expected times can be worked out by hand.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "graph/road_graph.hpp"

namespace maillage::testing {

class AsciiMap {
public:
    explicit AsciiMap(const std::string& drawing, double grid_m = 100.0) {
        double y = 0.0;
        std::size_t row_start = 0;
        while (row_start <= drawing.size()) {
            std::size_t end = drawing.find('\n', row_start);
            if (end == std::string::npos) end = drawing.size();
            for (std::size_t col = row_start; col < end; ++col) {
                char c = drawing[col];
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    ids_[c] = static_cast<NodeId>(points_.size());
                    // Origin far from 0 so Lambert-93-like magnitudes are exercised.
                    points_.push_back({500000.0 + static_cast<double>(col - row_start) * grid_m, 6600000.0 - y});
                }
            }
            y += grid_m;
            row_start = end + 1;
        }
    }

    // A way through the given nodes at `kmh`, both directions unless oneway.
    AsciiMap& way(const std::string& nodes, double speed_kmh, bool oneway = false) {
        for (std::size_t i = 0; i + 1 < nodes.size(); ++i) {
            NodeId a = id(nodes[i]), b = id(nodes[i + 1]);
            Metres len = distance(points_[a], points_[b]);
            Seconds t = travel_time(len, kmh(speed_kmh));
            edges_.push_back({a, b, t, len, {}});
            if (!oneway) edges_.push_back({b, a, t, len, {}});
        }
        return *this;
    }

    [[nodiscard]] NodeId id(char c) const {
        auto it = ids_.find(c);
        if (it == ids_.end()) throw std::out_of_range(std::string("no node ") + c + " in the drawing");
        return it->second;
    }
    [[nodiscard]] Point2 point(char c) const { return points_[id(c)]; }
    [[nodiscard]] RoadGraph graph() const { return RoadGraph(points_, edges_); }

private:
    std::map<char, NodeId> ids_;
    std::vector<Point2> points_;
    std::vector<GraphEdgeInput> edges_;
};

}  // namespace maillage::testing
