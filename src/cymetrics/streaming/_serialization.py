"""A small versioned, self-describing binary container for accumulator states.

Layout (little-endian throughout)::

    b"CYMS"  u16 format version  str kind  u32 n_fields  field*  u32 crc32

A field is ``str name, u8 tag, value``; a ``str`` is ``u16 length`` + UTF-8.
Tags: array (``str dtype``, ``u8 ndim``, ``u64`` per dimension, raw bytes),
nested state (``u64 length`` + a whole container), int (``i64``), float
(``f64``), text (``str``) and none. The CRC-32 covers everything before it.

Reading trusts nothing: every length is checked against the bytes that are
left before anything is allocated (so a hostile size costs nothing), dtypes
come from a short allow-list, and any inconsistency raises ValueError. What
the fields must satisfy (sorted scores, non-negative counts, ...) is checked
by each accumulator when it rebuilds itself.
"""

import struct
import zlib

import numpy as np

__all__ = ["FORMAT_VERSION", "Fields", "dump", "load", "peek_kind"]

MAGIC = b"CYMS"
FORMAT_VERSION = 1

_ARRAY, _NESTED, _INT, _FLOAT, _TEXT, _NONE = range(6)
_MAX_NDIM = 3
# Label arrays may hold str; wider strings than this are refused.
_MAX_STR_ITEMSIZE = 4 * 1024
_MAX_CODE_POINT = 0x10FFFF
_NUMERIC_DTYPES = {
    np.dtype(t).newbyteorder("<").str
    for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
              np.uint16, np.uint32, np.uint64, np.float16, np.float32, np.float64)
}


def _pack_str(text):
    raw = text.encode("utf-8")
    if len(raw) > 0xFFFF:
        raise ValueError("name too long to serialize")
    return struct.pack("<H", len(raw)) + raw


def _pack_value(value):
    if value is None:
        return struct.pack("<B", _NONE)
    if isinstance(value, (bool, np.bool_)):
        return struct.pack("<Bq", _INT, int(value))
    if isinstance(value, (int, np.integer)):
        return struct.pack("<Bq", _INT, int(value))
    if isinstance(value, (float, np.floating)):
        return struct.pack("<Bd", _FLOAT, float(value))
    if isinstance(value, str):
        return struct.pack("<B", _TEXT) + _pack_str(value)
    if isinstance(value, bytes):
        return struct.pack("<BQ", _NESTED, len(value)) + value
    if isinstance(value, np.ndarray):
        arr = value if value.flags.c_contiguous else value.copy()  # keeps 0-d arrays 0-d
        if arr.dtype.kind not in "biufU" or arr.ndim > _MAX_NDIM:
            raise TypeError(f"cannot serialize an array of dtype {arr.dtype}")
        arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        head = struct.pack("<B", _ARRAY) + _pack_str(arr.dtype.str)
        head += struct.pack("<B", arr.ndim) + struct.pack(f"<{arr.ndim}Q", *arr.shape)
        return head, arr.reshape(-1).view(np.uint8)  # the data itself, not a bytes copy
    raise TypeError(f"cannot serialize a {type(value).__name__}")


def dump(kind, fields):
    """Serialize ``fields`` (name -> array, bytes, int, float, str or None)."""
    parts = [MAGIC, struct.pack("<H", FORMAT_VERSION), _pack_str(kind),
             struct.pack("<I", len(fields))]
    for name, value in fields.items():
        parts.append(_pack_str(name))
        packed = _pack_value(value)
        parts.extend(packed if isinstance(packed, tuple) else (packed,))
    crc = 0
    for part in parts:  # the checksum part by part: the state is copied once, by join
        crc = zlib.crc32(part, crc)
    parts.append(struct.pack("<I", crc))
    return b"".join(parts)


class _Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, n):
        if n < 0 or n > len(self.data) - self.pos:
            raise ValueError("corrupted state: a declared size exceeds the data")
        start = self.pos
        self.pos += n
        return start

    def unpack(self, fmt):
        size = struct.calcsize(fmt)
        start = self.take(size)
        return struct.unpack_from(fmt, self.data, start)

    def text(self):
        (n,) = self.unpack("<H")
        start = self.take(n)
        try:
            return bytes(self.data[start:start + n]).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError("corrupted state: a name is not UTF-8") from exc

    def array(self):
        dtype_str = self.text()
        dtype = _checked_dtype(dtype_str)
        (ndim,) = self.unpack("<B")
        if ndim > _MAX_NDIM:
            raise ValueError(f"corrupted state: array of {ndim} dimensions")
        shape = self.unpack(f"<{ndim}Q")
        count = 1
        for s in shape:
            count *= s  # Python ints: no overflow, checked against the data next
        start = self.take(count * dtype.itemsize)
        arr = np.frombuffer(self.data, dtype=dtype, count=count, offset=start)
        if dtype.kind == "U" and count and int(arr.view("<u4").max()) > _MAX_CODE_POINT:
            # numpy holds any 32-bit value; Python's str (tolist, item) refuses them
            # with a SystemError.
            raise ValueError("corrupted state: a string array holds an invalid character")
        return arr.reshape(shape).astype(dtype.newbyteorder("="))

    def value(self):
        (tag,) = self.unpack("<B")
        if tag == _ARRAY:
            return self.array()
        if tag == _NESTED:
            (n,) = self.unpack("<Q")
            start = self.take(n)
            return bytes(self.data[start:start + n])
        if tag == _INT:
            return self.unpack("<q")[0]
        if tag == _FLOAT:
            return self.unpack("<d")[0]
        if tag == _TEXT:
            return self.text()
        if tag == _NONE:
            return None
        raise ValueError(f"corrupted state: unknown field tag {tag}")


def _checked_dtype(dtype_str):
    if dtype_str in _NUMERIC_DTYPES:
        return np.dtype(dtype_str)
    if dtype_str.startswith("<U") and dtype_str[2:].isdigit():
        dtype = np.dtype(dtype_str)
        if 0 < dtype.itemsize <= _MAX_STR_ITEMSIZE:
            return dtype
    raise ValueError(f"corrupted state: dtype {dtype_str!r} is not allowed")


def _open(data):
    """``(bytes, reader of everything but the CRC)`` after the magic check."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)  # bytes as they are; a bytearray or memoryview copied once
    if len(data) < len(MAGIC) + 2 + 4 or data[:4] != MAGIC:
        raise ValueError("not a cymetrics accumulator state (bad magic bytes)")
    return data, _Reader(memoryview(data)[:-4])  # a view: slicing bytes would copy them


def peek_kind(data):
    """The kind named in a state's header (the rest is not checked)."""
    data, reader = _open(data)
    reader.take(6)
    return reader.text()


def load(data, expected_kind):
    """Parse bytes written by `dump`; return the field dict.

    Raises ValueError on anything but an intact state of ``expected_kind``
    in this format version.
    """
    data, reader = _open(data)
    reader.take(4)
    (version,) = reader.unpack("<H")
    if version != FORMAT_VERSION:
        raise ValueError(
            f"unsupported state format version {version}; this cymetrics reads "
            f"version {FORMAT_VERSION}"
        )
    (crc,) = struct.unpack("<I", data[-4:])
    if zlib.crc32(reader.data) != crc:
        raise ValueError("corrupted state: checksum mismatch")
    kind = reader.text()
    if kind != expected_kind:
        raise ValueError(f"state holds a {kind!r}, not a {expected_kind!r}")
    (n_fields,) = reader.unpack("<I")
    fields = {}
    for _ in range(n_fields):
        name = reader.text()
        if name in fields:
            raise ValueError(f"corrupted state: field {name!r} repeated")
        fields[name] = reader.value()
    if reader.pos != len(reader.data):
        raise ValueError("corrupted state: trailing bytes")
    return fields


class Fields:
    """Typed access to loaded fields; every getter raises ValueError."""

    def __init__(self, fields, kind):
        self._fields = dict(fields)
        self._kind = kind

    def __contains__(self, name):
        return name in self._fields

    def _get(self, name):
        try:
            return self._fields.pop(name)
        except KeyError:
            raise ValueError(f"corrupted {self._kind} state: field {name!r} missing") from None

    def array(self, name, kinds, ndim):
        value = self._get(name)
        if not isinstance(value, np.ndarray) or value.dtype.kind not in kinds or value.ndim != ndim:
            raise ValueError(f"corrupted {self._kind} state: bad field {name!r}")
        return value

    def integer(self, name, lo=None, hi=None, allow_none=False):
        value = self._get(name)
        if value is None and allow_none:
            return None
        if not isinstance(value, int) or (lo is not None and value < lo) or (
            hi is not None and value > hi
        ):
            raise ValueError(f"corrupted {self._kind} state: bad field {name!r}")
        return value

    def real(self, name, allow_none=False):
        value = self._get(name)
        if value is None and allow_none:
            return None
        if not isinstance(value, float) or not np.isfinite(value):
            raise ValueError(f"corrupted {self._kind} state: bad field {name!r}")
        return value

    def text(self, name, allow_none=False):
        value = self._get(name)
        if (value is None and allow_none) or isinstance(value, str):
            return value
        raise ValueError(f"corrupted {self._kind} state: bad field {name!r}")

    def nested(self, name):
        value = self._get(name)
        if not isinstance(value, bytes):
            raise ValueError(f"corrupted {self._kind} state: bad field {name!r}")
        return value

    def label(self, name):
        """A scalar label stored as a 0-d array, or None."""
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, np.ndarray) or value.ndim != 0:
            raise ValueError(f"corrupted {self._kind} state: bad field {name!r}")
        if value.dtype.kind == "f" and not np.isfinite(value):
            raise ValueError(f"corrupted {self._kind} state: bad field {name!r}")
        return value[()]

    def done(self):
        if self._fields:
            raise ValueError(
                f"corrupted {self._kind} state: unexpected fields {sorted(self._fields)}"
            )
