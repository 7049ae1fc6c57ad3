#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "util/atomic_file.hpp"
#include "util/errors.hpp"
#include "util/sha256.hpp"
#include "util/units.hpp"

using namespace maillage;

TEST(Sha256, NistVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Units, TravelTimeFromDistanceAndSpeed) {
    EXPECT_DOUBLE_EQ(travel_time(Metres(1000), kmh(60)).value(), 60.0);
    EXPECT_DOUBLE_EQ(to_minutes(minutes(12.5)), 12.5);
    EXPECT_FALSE(Seconds::infinity().is_finite());
}

TEST(Units, MillisRoundFloorAndSaturate) {
    EXPECT_EQ(Millis::round(Seconds(51.4285714)).count(), 51429u);  // 1 km at 70 km/h
    EXPECT_EQ(Millis::round(Seconds(0.0004)).count(), 0u);
    EXPECT_EQ(Millis::floor(Seconds(0.3)).count(), 300u);  // 0.3 × 1000 is 299.99999… in binary
    EXPECT_EQ(Millis::floor(Seconds(1.9999)).count(), 1999u);
    EXPECT_EQ(Millis::round(Seconds::infinity()).count(), Millis::kMax);
    EXPECT_EQ(Millis::floor(minutes(60.0 * 24 * 60)).count(), Millis::kMax);  // 60 days
    EXPECT_DOUBLE_EQ(Millis(1500).seconds().value(), 1.5);
}

TEST(InputErrorMessage, NamesFileFeatureFieldAndExpectation) {
    InputError e({"communes.csv", "line 12", "population"}, "not a number: 'abc'", "a non-negative integer");
    EXPECT_STREQ(e.what(),
                 "communes.csv: line 12: field 'population': not a number: 'abc' (expected a non-negative integer)");
    InputError inner({"", "", "x"}, "bad");
    EXPECT_STREQ(inner.with_context({"f.geojson", "feature 3", ""}).what(), "f.geojson: feature 3: field 'x': bad");
    EXPECT_EQ(e.exit_code(), ExitCode::invalid_input);
}

TEST(AtomicFile, FailedWriteLeavesPreviousContent) {
    auto dir = std::filesystem::temp_directory_path() / "maillage_atomic_test";
    std::filesystem::remove_all(dir);
    auto path = dir / "out.txt";
    write_file_atomically(path, [](std::ostream& os) { os << "first"; });
    EXPECT_THROW(write_file_atomically(path,
                                       [](std::ostream& os) {
                                           os << "half";
                                           throw std::runtime_error("boom");
                                       }),
                 std::runtime_error);
    std::ifstream in(path);
    std::string content((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(content, "first");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
    std::filesystem::remove_all(dir);
}
