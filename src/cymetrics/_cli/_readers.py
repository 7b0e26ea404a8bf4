"""Tables on disk, read a chunk of rows at a time: CSV, Parquet, ``.npz`` and ``.npy``.

A `Table` names its columns and yields ``(first_row, {column: ndarray})``
chunks of the requested columns, so that a file of any length is read in
bounded memory. CSV goes through pyarrow's streaming reader when pyarrow is
installed (fast, typed) and through the standard library's ``csv`` module
otherwise; Parquet needs pyarrow. ``.npz`` members are decompressed as a
stream (never loaded whole) and ``.npy`` files are memory-mapped.

Cells arrive as the format gives them: CSV cells as strings (or, with
pyarrow, typed when asked for numbers), Parquet and NumPy columns in their
dtype. `cymetrics._cli._columns` turns them into labels, scores and weights.
"""

import contextlib
import csv
import os
import re
import zipfile
import zlib

import numpy as np

from cymetrics._cli._errors import UsageError, missing_extra

__all__ = ["ArrayTable", "Table", "demo_table", "open_table"]

CHUNK_ROWS = 1 << 20
# pyarrow's CSV reader reads blocks of bytes, not rows: about this many per row
# asked for, at most 16 MiB a block.
CSV_BYTES_PER_ROW = 64
CSV_BLOCK_BYTES = 16 << 20


def _pyarrow():
    """pyarrow's CSV and Parquet modules, or None when pyarrow is not installed."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq
    except ImportError:
        return None
    return pa, pa_csv, pq


class Table:
    """A file of named columns read in chunks.

    ``n_rows`` is None when it is only known at the end (CSV); ``progress``
    of a running read is then the share of the bytes read.
    """

    format = ""

    def __init__(self, path):
        self.path = path
        self.size = os.path.getsize(path)
        self.columns = []
        self.n_rows = None
        self.progress = 0.0

    def chunks(self, names, numeric=(), chunk_rows=CHUNK_ROWS):
        """Yield ``(first_row, {name: array})`` for the columns ``names``
        (0-based ``first_row``); ``numeric`` names columns expected to hold
        numbers (read typed where the format can)."""
        raise NotImplementedError

    def check_columns(self, names):
        missing = [n for n in names if n not in self.columns]
        if missing:
            shown = ", ".join(repr(c) for c in self.columns[:12])
            more = ", ..." if len(self.columns) > 12 else ""
            raise UsageError(
                f"{self.path}: no column {missing[0]!r} (columns: {shown}{more})")


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------
class CsvTable(Table):
    format = "csv"

    def __init__(self, path, pyarrow):
        super().__init__(path)
        self._pa = pyarrow
        with open(path, newline="", encoding="utf-8-sig") as f:
            try:
                header = next(csv.reader(f), None)
            except (csv.Error, UnicodeDecodeError) as exc:
                raise UsageError(f"{path}: not a readable CSV file ({exc})") from None
        if not header or not any(h.strip() for h in header):
            raise UsageError(f"{path}: the file is empty (no header row)")
        self.columns = header

    def chunks(self, names, numeric=(), chunk_rows=CHUNK_ROWS):
        if self._pa is not None:
            return self._arrow_chunks(names, numeric, chunk_rows)
        return self._stdlib_chunks(names, chunk_rows)

    def _stdlib_chunks(self, names, chunk_rows):
        positions = [self.columns.index(n) for n in names]
        width = len(self.columns)
        read = [0]

        def lines(f):
            # tell() is off while a text file is iterated: count the characters instead.
            for line in f:
                read[0] += len(line)
                yield line

        with open(self.path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(lines(f))
            next(reader)
            start, rows = 0, []
            try:
                for row in reader:
                    if len(row) != width:
                        if not row:
                            continue  # blank line
                        raise UsageError(
                            f"{self.path}: line {reader.line_num} has {len(row)} fields, "
                            f"the header {width}")
                    rows.append([row[p] for p in positions])
                    if len(rows) == chunk_rows:
                        self.progress = min(1.0, read[0] / max(self.size, 1))
                        yield start, _transpose(rows, names)
                        start, rows = start + len(rows), []
            except (csv.Error, UnicodeDecodeError) as exc:
                raise UsageError(f"{self.path}: line {reader.line_num}: {exc}") from None
            self.progress = 1.0
            if rows or start == 0:
                yield start, _transpose(rows, names)

    def _arrow_chunks(self, names, numeric, chunk_rows):
        pa, pa_csv, _ = self._pa
        # Labels dictionary-encoded: a few distinct strings, not a Python str per row.
        label_type = pa.dictionary(pa.int32(), pa.string())
        types = {n: (pa.float64() if n in numeric else label_type) for n in names}
        # A file object of our own, so that its position tells the progress.
        with open(self.path, "rb") as f:
            try:
                # No thread pool: pyarrow's worker threads reading a Python file
                # object can outlive the generator and abort the interpreter at
                # exit ("terminate called without an active exception", seen in
                # the tests under load; apache/arrow#50482 is the same teardown).
                reader = pa_csv.open_csv(
                    f, read_options=pa_csv.ReadOptions(use_threads=False, block_size=max(
                        4096, min(CSV_BLOCK_BYTES, chunk_rows * CSV_BYTES_PER_ROW))),
                    convert_options=pa_csv.ConvertOptions(
                        include_columns=list(dict.fromkeys(names)), column_types=types,
                        strings_can_be_null=True, quoted_strings_can_be_null=False))
                start = 0
                for batch in reader:
                    self.progress = min(1.0, f.tell() / max(self.size, 1))
                    yield start, {n: _arrow_column(batch.column(n), n, start, self.path)
                                  for n in names}
                    start += batch.num_rows
            except pa.ArrowInvalid as exc:
                raise UsageError(
                    f"{self.path}: {_arrow_message(str(exc), self.columns)}") from None
        self.progress = 1.0
        if start == 0:
            yield 0, {n: np.empty(0, dtype=np.float64 if n in numeric else str) for n in names}


def _transpose(rows, names):
    if not rows:
        return {n: np.empty(0, dtype=str) for n in names}
    return {n: np.array(col, dtype=str) for n, col in zip(names, zip(*rows))}


def _arrow_column(array, name, start, path):
    if array.null_count:
        first = int(np.flatnonzero(array.is_null().to_numpy(zero_copy_only=False))[0])
        # pyarrow reads empty cells, NA, NaN, null... as missing.
        raise UsageError(f"{path}: column {name!r} has a missing value (empty, NA, NaN...) at "
                         f"row {start + first + 1}")
    if hasattr(array, "dictionary"):  # dictionary-encoded strings: decode in numpy
        values = np.asarray(array.dictionary.to_numpy(zero_copy_only=False), dtype=str)
        return values[array.indices.to_numpy(zero_copy_only=False)]
    return array.to_numpy(zero_copy_only=False)


_ARROW_ERROR = re.compile(r"In CSV column #(\d+): (?:Row #(\d+): )?(.*)", re.DOTALL)


def _arrow_message(message, header):
    """pyarrow's conversion error with the column named (its '#' is the column's
    position in the file, its 'Row #' counts the header)."""
    match = _ARROW_ERROR.search(message)
    if not match:
        return message.strip().splitlines()[0]
    detail = match.group(3).strip().splitlines()[0]
    value = re.search(r"invalid value '([^']*)'", detail)
    what = f"not a number: {value.group(1)!r}" if value else detail
    column = int(match.group(1))
    named = f"column {header[column]!r}" if column < len(header) else f"column #{column}"
    row = f" at row {int(match.group(2)) - 1}" if match.group(2) else ""
    return f"{named} is {what}{row}" if value else f"{named}{row}: {what}"


# ---------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------
class ParquetTable(Table):
    format = "parquet"

    def __init__(self, path, pyarrow):
        super().__init__(path)
        pa, _, pq = pyarrow
        try:
            # pre_buffer caches every column chunk read until the file is
            # closed: memory would grow with the file, not with the chunk.
            self._file = pq.ParquetFile(path, pre_buffer=False)
        except (pa.ArrowInvalid, OSError) as exc:
            raise UsageError(f"{path}: not a readable Parquet file ({exc})") from None
        self.columns = list(self._file.schema_arrow.names)
        self.n_rows = self._file.metadata.num_rows

    def chunks(self, names, numeric=(), chunk_rows=CHUNK_ROWS):
        wanted = list(dict.fromkeys(names))
        start = 0
        for batch in self._file.iter_batches(batch_size=chunk_rows, columns=wanted):
            yield start, {n: _arrow_column(batch.column(batch.schema.get_field_index(n)), n,
                                           start, self.path) for n in names}
            start += batch.num_rows
            self.progress = start / max(self.n_rows, 1)
        if start == 0:
            empty = self._file.schema_arrow.empty_table()
            yield 0, {n: empty.column(n).to_numpy() for n in names}
        self.progress = 1.0


# ---------------------------------------------------------------------------
# NumPy: .npz (columns are the arrays) and .npy (structured or 2-D)
# ---------------------------------------------------------------------------
# What zipfile raises on a damaged archive or member: a bad header or CRC, a
# truncated or corrupt deflate stream, an unsupported compression method or an
# encrypted member.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
               OSError, ValueError)


@contextlib.contextmanager
def _damaged_zip(where):
    """Any error of a damaged ``.npz`` as a `UsageError` naming ``where``."""
    try:
        yield
    except UsageError:
        raise
    except _ZIP_ERRORS as exc:
        raise UsageError(f"{where}: not a readable .npz file ({exc or type(exc).__name__})"
                         ) from None


class NpzTable(Table):
    format = "npz"

    def __init__(self, path):
        super().__init__(path)
        with _damaged_zip(path):
            self._zip = zipfile.ZipFile(path)
            members = [m for m in self._zip.namelist() if m.endswith(".npy")]
            self.columns = [m[:-4] for m in members]
            self._headers = {}
            for name in self.columns:
                with self._zip.open(name + ".npy") as f:
                    self._headers[name] = _npy_header(f, f"{path}[{name}]")
        lengths = {h[0][0] for h in self._headers.values() if h[0]}
        self.n_rows = lengths.pop() if len(lengths) == 1 else None

    def chunks(self, names, numeric=(), chunk_rows=CHUNK_ROWS):
        lengths = {self._headers[n][0][0] for n in names}
        if len(lengths) != 1:
            shown = ", ".join(f"{n!r}: {self._headers[n][0][0]}" for n in dict.fromkeys(names))
            raise UsageError(f"{self.path}: the columns differ in length ({shown})")
        n_rows = lengths.pop()
        files = {}
        try:
            with _damaged_zip(self.path):
                for n in dict.fromkeys(names):
                    files[n] = self._zip.open(n + ".npy")
                    _npy_header(files[n], self.path)
            for start in range(0, max(n_rows, 1), chunk_rows):
                rows = min(chunk_rows, n_rows - start)
                with _damaged_zip(self.path):
                    columns = {n: self._read_rows(files[n], n, rows) for n in files}
                yield start, {n: columns[n] for n in names}
                self.progress = (start + rows) / max(n_rows, 1)
        finally:
            for f in files.values():
                f.close()

    def _read_rows(self, f, name, rows):
        dtype = self._headers[name][1]
        data = f.read(rows * dtype.itemsize)
        if len(data) != rows * dtype.itemsize:
            raise UsageError(f"{self.path}[{name}]: the array is truncated (its header "
                             f"declares {self._headers[name][0][0]} rows)")
        return np.frombuffer(data, dtype=dtype, count=rows)


def _npy_header(f, where):
    """``(shape, dtype)`` of a 1-D .npy stream positioned after its header."""
    try:
        version = np.lib.format.read_magic(f)
        read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                else np.lib.format.read_array_header_2_0)
        shape, fortran, dtype = read(f)
    except ValueError as exc:
        raise UsageError(f"{where}: not a .npy array ({exc})") from None
    if len(shape) != 1 or dtype.hasobject or dtype.names:
        raise UsageError(
            f"{where}: each array of a .npz must be 1-D numbers or strings; got shape "
            f"{shape}, dtype {dtype}")
    del fortran
    return shape, dtype


class NpyTable(Table):
    format = "npy"

    def __init__(self, path):
        super().__init__(path)
        try:
            a = np.load(path, mmap_mode="r", allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:  # EOFError: an empty file
            raise UsageError(f"{path}: not a readable .npy file ({exc})") from None
        if a.dtype.names:
            self.columns = list(a.dtype.names)
        elif a.ndim == 2:
            self.columns = [str(i) for i in range(a.shape[1])]
        else:
            raise UsageError(
                f"{path}: a .npy table must be a structured array (columns by field name) "
                f"or 2-D (columns 0, 1, ...); got shape {a.shape}")
        self._array = a
        self.n_rows = a.shape[0]

    def chunks(self, names, numeric=(), chunk_rows=CHUNK_ROWS):
        a = self._array
        for start in range(0, max(self.n_rows, 1), chunk_rows):
            part = a[start:start + chunk_rows]
            yield start, {n: np.array(part[n] if a.dtype.names else part[:, int(n)])
                          for n in names}
            self.progress = min(1.0, (start + chunk_rows) / max(self.n_rows, 1))


def open_table(path):
    """The `Table` of ``path``, chosen by its extension (.csv, .parquet, .npz, .npy)."""
    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory, not a file")
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        return CsvTable(path, _pyarrow())
    if ext in (".parquet", ".pq"):
        pyarrow = _pyarrow()
        if pyarrow is None:
            raise missing_extra("reading Parquet files", "pyarrow", "parquet")
        return ParquetTable(path, pyarrow)
    if ext == ".npz":
        return NpzTable(path)
    if ext == ".npy":
        return NpyTable(path)
    raise UsageError(f"{path}: unknown file type {ext!r} (use .csv, .parquet, .npz or .npy)")


class ArrayTable(Table):
    """Columns already in memory (the demo)."""

    format = "demo"

    def __init__(self, name, columns):
        self.path = name
        self.size = 0
        self.columns = list(columns)
        self._data = columns
        self.n_rows = len(next(iter(columns.values())))
        self.progress = 0.0

    def chunks(self, names, numeric=(), chunk_rows=CHUNK_ROWS):
        for start in range(0, self.n_rows, chunk_rows):
            yield start, {n: self._data[n][start:start + chunk_rows] for n in names}
            self.progress = min(1.0, (start + chunk_rows) / self.n_rows)


def demo_table(n_samples=10_000, seed=0):
    """Seeded synthetic binary predictions: ~20% positives, two informative scores, a segment."""
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n_samples) < 0.2).astype(np.int64)
    logits = rng.normal(loc=1.5 * y_true - 0.75, scale=1.0)
    other = rng.normal(loc=1.1 * y_true - 0.55, scale=1.0)
    region = rng.choice(np.array(["north", "south", "east", "west"]), n_samples)
    return ArrayTable("demo (seeded synthetic binary classifier)", {
        "label": y_true, "score": 1.0 / (1.0 + np.exp(-logits)),
        "baseline": 1.0 / (1.0 + np.exp(-other)), "region": region})
