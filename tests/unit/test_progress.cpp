// The time left shown on long steps (catchments of many sites, a region's OSM extract):
// proportional to the pace so far, silent while too early to say.
#include <gtest/gtest.h>

#include "util/progress.hpp"

using namespace maillage;

TEST(Progress, RemainingTimeFollowsThePaceSoFar) {
    EXPECT_EQ(remaining_time_text(10.0, 50, 100), "about 10 s left");
    EXPECT_EQ(remaining_time_text(40.0, 25, 100), "about 2 min left");      // 120 s
    EXPECT_EQ(remaining_time_text(600.0, 10, 100), "about 1 h 30 min left"); // 5 400 s
    EXPECT_EQ(remaining_time_text(10.0, 999, 1000), "about 1 s left");       // never "0 s"
}

TEST(Progress, NothingWhileTooEarlyOrFinished) {
    EXPECT_EQ(remaining_time_text(1.0, 50, 100), "");    // under 2 s
    EXPECT_EQ(remaining_time_text(100.0, 5, 1000), "");  // under 1 %
    EXPECT_EQ(remaining_time_text(100.0, 0, 100), "");
    EXPECT_EQ(remaining_time_text(100.0, 100, 100), "");
    EXPECT_EQ(remaining_time_text(100.0, 10, 0), "");
}
