# Shared typedefs and fused types for every kernel module.
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t

# numpy's intp: class codes, positions and offsets.
ctypedef Py_ssize_t intp_t

ctypedef fused score_t:
    float
    double

# Integer label arrays are counted without a cast; everything else is
# encoded to intp codes in Python first.
ctypedef fused label_t:
    int8_t
    int16_t
    int32_t
    int64_t
    uint8_t
    uint16_t
    uint32_t

# Counts: int64 when unweighted (exact), float64 sums of weights otherwise.
ctypedef fused count_t:
    int64_t
    double

# Label arrays scanned as they are: integers plus floats holding integers.
ctypedef fused value_t:
    label_t
    float
    double
