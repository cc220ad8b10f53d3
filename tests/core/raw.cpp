// The raw-pointer overloads: counts, null pointers, and the same bits as the functor.
#include <activ/activ.hpp>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

#include "support/check.hpp"

using namespace activ::testing;

TEMPLATE_TEST_CASE("Raw pointers: errors for bad counts and null pointers, nothing written", "[raw][errors]",
                   float, double) {
  using T = TestType;
  const activ::Sigmoid<T> f;
  std::vector<T> x(4, T(1)), y(4, T(3));
  CHECK_THROWS_AS(activ::forward(f, x.data(), y.data(), -1), std::invalid_argument);
  CHECK_THROWS_WITH(activ::forward(f, x.data(), y.data(), -1), Catch::Contains("activ::forward") &&
                                                                  Catch::Contains("-1"));
  CHECK_THROWS_AS(activ::backward(f, x.data(), static_cast<const T*>(nullptr), y.data(), 4),
                  std::invalid_argument);
  CHECK_THROWS_WITH(activ::derivative(f, static_cast<const T*>(nullptr), y.data(), 2),
                    Catch::Contains("activ::derivative") && Catch::Contains("null"));
  CHECK(y == std::vector<T>(4, T(3)));
  // A count of 0 with null pointers is an empty call, not an error.
  CHECK_NOTHROW(activ::forward(f, static_cast<const T*>(nullptr), static_cast<T*>(nullptr), 0));
}
