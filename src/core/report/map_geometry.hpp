#pragma once
// The geometry every map of a report shares: commune outlines (simplified with GEOS so the
// report stays small), EPCI and territory outlines dissolved from them, a label point per
// commune. Coordinates are Lambert-93 metres; the SVG side turns them into path data once,
// and every map references them (<use>), so twenty maps do not repeat the geometry.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geo/point.hpp"

class OGRGeometry;

namespace maillage::report {

struct Box {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    [[nodiscard]] double width() const { return max_x - min_x; }
    [[nodiscard]] double height() const { return max_y - min_y; }
    void extend(const Box& o);
    [[nodiscard]] Box padded(double fraction) const;
};

// Rings of a (multi)polygon: each ring a closed list of Lambert-93 points.
using Rings = std::vector<std::vector<Point2>>;

struct CommuneShape {
    std::string code;
    std::string name;
    std::string epci;
    std::string territory;
    double population = 0;
    Rings rings;
    Box box;
    Point2 label_point;  // inside the commune (GEOS point on surface)
};

struct AreaShape {
    std::string id;
    Rings rings;  // the dissolved outline
    Box box;
};

class MapGeometry {
public:
    // Reads the commune polygons of a coverage_communes.geojson (any CRS GDAL knows),
    // simplifies each by `tolerance_m` (topology preserving), dissolves EPCI and territories.
    // Throws InputError naming the file and feature on a missing or unusable geometry.
    static MapGeometry read(const std::filesystem::path& communes_geojson, double tolerance_m);

    // The same from polygons already in memory (Lambert-93), e.g. a loaded study.
    struct Input {
        std::string code, name, epci, territory;
        double population = 0;
        const OGRGeometry* polygon = nullptr;  // Lambert-93 (Multi)Polygon
    };
    static MapGeometry build(const std::vector<Input>& communes, double tolerance_m);

    [[nodiscard]] const std::vector<CommuneShape>& communes() const { return communes_; }
    [[nodiscard]] const std::vector<AreaShape>& epcis() const { return epcis_; }
    [[nodiscard]] const std::vector<AreaShape>& territories() const { return territories_; }
    [[nodiscard]] const Box& box() const { return box_; }
    // Index of a commune by INSEE code; -1 if absent.
    [[nodiscard]] int find(const std::string& code) const;
    [[nodiscard]] const AreaShape* territory(const std::string& id) const;

    // The polygon of the feature of `layer_geojson` whose `band_minutes` equals `band` (a
    // covered.geojson of a coverage run), in Lambert-93, simplified; nullopt if none matches.
    static std::optional<Rings> read_band_area(const std::filesystem::path& layer_geojson, double band, double tolerance_m);

private:
    std::vector<CommuneShape> communes_;
    std::vector<AreaShape> epcis_;
    std::vector<AreaShape> territories_;
    std::map<std::string, int> index_;
    Box box_;
};

}  // namespace maillage::report
