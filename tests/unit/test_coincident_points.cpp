// A point routed to itself takes no time, even where the network is far from it (the
// estimated network attaches a point to the nearest commune point: out along the access leg
// and back would be twice the leg). Issue 12, edge cases.
#include <gtest/gtest.h>

#include <sstream>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

// "id" → minutes per (origin, destination) from matrix's CSV.
std::map<std::pair<std::string, std::string>, double> read_matrix(const fs::path& csv) {
    std::map<std::pair<std::string, std::string>, double> out;
    std::istringstream in(read_text(csv));
    std::string line;
    std::getline(in, line);  // header: origin_id,destination_id,seconds,minutes,...
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ls(line);
        for (std::string cell; std::getline(ls, cell, ',');) f.push_back(cell);
        out[{f[0], f[1]}] = std::stod(f[3]);
    }
    return out;
}

}  // namespace

TEST(CoincidentPoints, MatrixAndNearestGiveZeroForThePointItself) {
    const fs::path dir = fresh_dir("coincident");
    // Poitiers centre, and a point in Charente about 12 km beyond the border of Vienne
    // (attached to the nearest commune point of the estimated network, kilometres away).
    write_text(dir / "points.csv", "id,lon,lat\npoitiers,0.3404,46.5802\ncharente,0.6720,45.9950\n");
    auto r = run_cli("matrix --origins " + (dir / "points.csv").string() + " --destinations " + (dir / "points.csv").string() +
                     " -o " + (dir / "m.csv").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto m = read_matrix(dir / "m.csv");
    EXPECT_EQ(m.at({"poitiers", "poitiers"}), 0.0);
    EXPECT_EQ(m.at({"charente", "charente"}), 0.0);
    EXPECT_GT(m.at({"poitiers", "charente"}), 30.0);  // about 70 km apart
    EXPECT_EQ(m.at({"poitiers", "charente"}), m.at({"charente", "poitiers"}));

    r = run_cli("nearest --sites " + (dir / "points.csv").string() + " --points " + (dir / "points.csv").string() + " -o " +
                (dir / "n.csv").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string n = read_text(dir / "n.csv");
    EXPECT_NE(n.find("\ncharente,charente,0.0,0.00,"), std::string::npos) << n;
    EXPECT_NE(n.find("\npoitiers,poitiers,0.0,0.00,"), std::string::npos) << n;
}
