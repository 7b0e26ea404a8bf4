"""The foundation every wing stands on; no metric lives here.

* `_params`: scalar parameter checks and the one "invalid parameter" message;
* `_validation`: arrays at the edge (shapes, lengths, dtypes, finiteness,
  the one sample-weight rule);
* `_labels`: targets and label encoding (binary/multiclass scans, pos_label
  resolution, the one small-integer-range policy);
* `_indicators`: multilabel indicator matrices (dense or scipy sparse);
* `_special`: the special functions the intervals need (no scipy);
* `_warnings`: `warn`, which points every warning at the caller's line.

Imports only `cymetrics._kernels` and `cymetrics._exceptions`.
"""
