#pragma once
// Gurka-style OpenStreetMap fixtures: a map drawn in ASCII becomes a small .osm (XML) file
// that the real OSM loader reads. One character column and one text row are `grid` metres
// apart on the ground (WGS84 geodesics: rows step south, columns step east), so lengths come
// out at the drawn metres (to the centimetre of OSM's
// 1e-7° coordinates) and expected times can be worked out by hand.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <geodesic.h>
#include <osmium/io/pbf_input.hpp>
#include <osmium/io/pbf_output.hpp>
#include <osmium/io/xml_input.hpp>
#include <osmium/io/reader.hpp>
#include <osmium/io/writer.hpp>

#include "geo/crs.hpp"

namespace maillage::testing {

class AsciiOsm {
public:
    explicit AsciiOsm(const std::string& drawing, double grid_m = 100.0) {
        // Positions from PROJ's geodesic (independent of the loader's own distance formula):
        // each row one step south of the previous one, each column one step east.
        geod_geodesic g;
        geod_init(&g, 6378137.0, 1.0 / 298.257223563);
        auto step = [&](double& lat, double& lon, double azimuth) {
            double lat2 = 0, lon2 = 0, azi2 = 0;
            geod_direct(&g, lat, lon, azimuth, grid_m, &lat2, &lon2, &azi2);
            lat = lat2;
            lon = lon2;
        };
        double row_lat = 46.58, row_lon = 0.34;  // Poitiers
        std::size_t row_start = 0;
        while (row_start <= drawing.size()) {
            std::size_t end = drawing.find('\n', row_start);
            if (end == std::string::npos) end = drawing.size();
            double lat = row_lat, lon = row_lon;
            for (std::size_t col = row_start; col < end; ++col) {
                char c = drawing[col];
                if (std::isalnum(static_cast<unsigned char>(c))) {
                    nodes_[c] = {static_cast<long>(drawn_.size()) + 1, lon, lat};
                    drawn_.push_back(c);
                }
                step(lat, lon, 90.0);
            }
            step(row_lat, row_lon, 180.0);
            row_start = end + 1;
        }
    }

    // A way through the given nodes with its tags; '?' in `nodes` stands for a node that is
    // referenced but not in the file (as at the edge of an extract).
    AsciiOsm& way(const std::string& nodes, std::vector<std::pair<std::string, std::string>> tags) {
        ways_.push_back({nodes, std::move(tags)});
        return *this;
    }

    void write(const std::filesystem::path& file) const {
        std::ofstream out(file, std::ios::binary);
        out << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"maillage tests\">\n";
        char buf[200];
        for (char c : drawn_) {
            const Node& n = node(c);
            std::snprintf(buf, sizeof buf, " <node id=\"%ld\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", n.id, n.lat, n.lon);
            out << buf;
        }
        long id = 1;
        for (const auto& w : ways_) {
            out << " <way id=\"" << id++ << "\" version=\"1\">\n";
            for (char c : w.nodes) out << "  <nd ref=\"" << (c == '?' ? 999999 : node(c).id) << "\"/>\n";
            for (const auto& [k, v] : w.tags) out << "  <tag k=\"" << k << "\" v=\"" << v << "\"/>\n";
            out << " </way>\n";
        }
        out << "</osm>\n";
    }

    // The same map as a PBF file, as Geofabrik ships them (converted by libosmium).
    void write_pbf(const std::filesystem::path& file) const {
        auto xml = std::filesystem::path(file).replace_extension(".xml.osm");
        write(xml);
        osmium::io::Reader reader(xml.string());
        osmium::io::Writer writer(file.string(), osmium::io::overwrite::allow);
        while (osmium::memory::Buffer buffer = reader.read()) writer(std::move(buffer));
        writer.close();
        reader.close();
        std::filesystem::remove(xml);
    }

    // Where the loader puts the node, in Lambert-93.
    [[nodiscard]] Point2 lambert(char c) const {
        const Node& n = node(c);
        return lonlat_to_lambert93({std::round(n.lon * 1e7) / 1e7, std::round(n.lat * 1e7) / 1e7});
    }

private:
    struct Node {
        long id = 0;
        double lon = 0, lat = 0;
    };
    struct Way {
        std::string nodes;
        std::vector<std::pair<std::string, std::string>> tags;
    };
    [[nodiscard]] const Node& node(char c) const {
        auto it = nodes_.find(c);
        if (it == nodes_.end()) throw std::out_of_range(std::string("no node ") + c + " in the drawing");
        return it->second;
    }

    std::map<char, Node> nodes_;
    std::vector<char> drawn_;  // node ids follow the drawing order
    std::vector<Way> ways_;
};

}  // namespace maillage::testing
