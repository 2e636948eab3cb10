// Simple linear regression of y on 0, 1, ..., n-1, as scipy.stats.linregress computes it.
#pragma once

#include <span>

namespace parafeat::timeseries {

/// scipy's LinregressResult fields.
struct LinearFit {
  double slope;
  double intercept;
  double rvalue;
  double pvalue;          ///< Two-sided, Student t with n - 2 degrees of freedom.
  double standard_error;  ///< Of the slope.
};

/// linregress(range(len(y)), y).
LinearFit linregress_on_index(std::span<const double> y);

/// The regularized incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1].
double regularized_incomplete_beta(double a, double b, double x);

}  // namespace parafeat::timeseries
