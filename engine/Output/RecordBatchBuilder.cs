using Apache.Arrow;
using Apache.Arrow.Types;

namespace SSIS.Batch.Engine.Output;

/// <summary>
/// Turns rows (one CLR value per column, null for a missing value) into Arrow record batches of a declared schema, a
/// batch at a time, so a table of any length is held one batch at once. The CLR value each type takes: bool, int,
/// long, uint, float, double, string, DateTime (UTC), float[] / uint[] (lists and fixed-size lists), float[][] (matrices).
/// </summary>
public sealed class RecordBatchBuilder(Schema schema)
{
    private readonly ColumnBuilder[] _columns = schema.FieldsList.Select(f => ColumnBuilder.For(f.Name, f.DataType)).ToArray();

    public int Count { get; private set; }

    /// <summary>List, vector and matrix values appended since the last <see cref="Build"/>, over every nested column.</summary>
    public long NestedValues => _columns.Sum(c => c.Values);

    public void Append(object?[] row)
    {
        if (row.Length != _columns.Length)
            throw new ArgumentException($"A row has {row.Length} values for {_columns.Length} columns.", nameof(row));
        for (var c = 0; c < row.Length; c++) _columns[c].Append(row[c]);
        Count++;
    }

    /// <summary>The rows appended since the last call, as one batch; the builder starts empty again.</summary>
    public RecordBatch Build()
    {
        var batch = new RecordBatch(schema, _columns.Select(c => c.Build()), Count);
        Count = 0;
        return batch;
    }

    /// <summary>
    /// Batches of <paramref name="batchRows"/> rows, or fewer once their lists, vectors and matrices hold
    /// <paramref name="batchValues"/> values: wide rows (embeddings, frames) would otherwise make a batch, and the
    /// Parquet writer's buffers for it, grow with the vector length. The last batch may be shorter; none when there are no rows.
    /// </summary>
    public static IEnumerable<RecordBatch> Batches(Schema schema, IEnumerable<object?[]> rows, int batchRows, long batchValues)
    {
        var builder = new RecordBatchBuilder(schema);
        foreach (var row in rows)
        {
            builder.Append(row);
            if (builder.Count == batchRows || builder.NestedValues >= batchValues) yield return builder.Build();
        }
        if (builder.Count > 0) yield return builder.Build();
    }

    private abstract class ColumnBuilder(string name)
    {
        protected string Name { get; } = name;

        public abstract void Append(object? value);

        public abstract IArrowArray Build();

        /// <summary>Values held in a nested column's child buffer (0 for a column of single values).</summary>
        public virtual int Values => 0;

        protected T Cast<T>(object value) => value is T typed
            ? typed
            : throw new ArgumentException($"Column '{Name}' takes {typeof(T).Name}, not {value.GetType().Name}.");

        public static ColumnBuilder For(string name, IArrowType type) => type switch
        {
            BooleanType => new Boolean(name),
            Int32Type => new Primitive<int, Int32Array, Int32Array.Builder>(name, new()),
            Int64Type => new Primitive<long, Int64Array, Int64Array.Builder>(name, new()),
            UInt32Type => new Primitive<uint, UInt32Array, UInt32Array.Builder>(name, new()),
            FloatType => new Primitive<float, FloatArray, FloatArray.Builder>(name, new()),
            DoubleType => new Primitive<double, DoubleArray, DoubleArray.Builder>(name, new()),
            StringType => new Utf8(name),
            TimestampType t => new Timestamp(name, t),
            FixedSizeListType { ValueDataType: FloatType } f => new FloatVector(name, f),
            ListType { ValueDataType: FloatType } l => new List<float>(name, l, (values, count) => new FloatArray(values, ArrowBuffer.Empty, count, 0, 0)),
            ListType { ValueDataType: UInt32Type } l => new List<uint>(name, l, (values, count) => new UInt32Array(values, ArrowBuffer.Empty, count, 0, 0)),
            ListType { ValueDataType: FixedSizeListType { ValueDataType: FloatType } row } l => new FloatMatrix(name, l, row),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, $"column '{name}': not a type the engine's tables use"),
        };
    }

    private sealed class Boolean(string name) : ColumnBuilder(name)
    {
        private BooleanArray.Builder _builder = new();

        public override void Append(object? value)
        {
            if (value is null) _builder.AppendNull();
            else _builder.Append(Cast<bool>(value));
        }

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new BooleanArray.Builder();
            return array;
        }
    }

    private sealed class Primitive<T, TArray, TBuilder>(string name, TBuilder builder) : ColumnBuilder(name)
        where T : struct, IEquatable<T>
        where TArray : IArrowArray
        where TBuilder : PrimitiveArrayBuilder<T, TArray, TBuilder>, new()
    {
        private TBuilder _builder = builder;

        public override void Append(object? value)
        {
            if (value is null) _builder.AppendNull();
            else _builder.Append(Cast<T>(value));
        }

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new TBuilder();
            return array;
        }
    }

    private sealed class Utf8(string name) : ColumnBuilder(name)
    {
        private StringArray.Builder _builder = new();

        public override void Append(object? value)
        {
            if (value is null) _builder.AppendNull();
            else _builder.Append(Cast<string>(value));
        }

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new StringArray.Builder();
            return array;
        }
    }

    private sealed class Timestamp(string name, TimestampType type) : ColumnBuilder(name)
    {
        private TimestampArray.Builder _builder = new(type);

        public override void Append(object? value)
        {
            if (value is null) _builder.AppendNull();
            else
            {
                var time = Cast<DateTime>(value);
                if (time.Kind != DateTimeKind.Utc) throw new ArgumentException($"Column '{Name}' takes UTC times, not {time.Kind}.");
                _builder.Append(new DateTimeOffset(time));
            }
        }

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new TimestampArray.Builder(type);
            return array;
        }
    }

    /// <summary>
    /// Nested columns keep their own buffers: the Arrow list builders append child values one at a time, which was
    /// half the write time of 512-float embeddings; a span copy is not.
    /// </summary>
    private abstract class Nested(string name) : ColumnBuilder(name)
    {
        private ArrowBuffer.BitmapBuilder _validity = new();
        private int _nulls;

        protected int Length => _validity.Length;

        protected void AppendValidity(bool valid)
        {
            _validity.Append(valid);
            if (!valid) _nulls++;
        }

        /// <summary>The validity bitmap and null count of the rows so far; starts a new bitmap.</summary>
        protected (ArrowBuffer Bitmap, int Nulls) TakeValidity()
        {
            var taken = (_validity.Build(), _nulls);
            _validity = new ArrowBuffer.BitmapBuilder();
            _nulls = 0;
            return taken;
        }

        protected static FloatArray Floats(ref ArrowBuffer.Builder<float> values)
        {
            var array = new FloatArray(values.Build(), ArrowBuffer.Empty, values.Length, 0, 0);
            values = new ArrowBuffer.Builder<float>();
            return array;
        }
    }

    /// <summary>A list of float or uint values per row.</summary>
    private sealed class List<T>(string name, ListType type, Func<ArrowBuffer, int, IArrowArray> child) : Nested(name)
        where T : struct
    {
        private ArrowBuffer.Builder<T> _values = new();
        private ArrowBuffer.Builder<int> _offsets = new ArrowBuffer.Builder<int>().Append(0);

        public override int Values => _values.Length;

        public override void Append(object? value)
        {
            AppendValidity(value is not null);
            if (value is not null) _values.Append(Cast<T[]>(value));
            _offsets.Append(_values.Length);
        }

        public override IArrowArray Build()
        {
            var length = Length;
            var (bitmap, nulls) = TakeValidity();
            var array = new ListArray(type, length, _offsets.Build(), child(_values.Build(), _values.Length), bitmap, nulls, 0);
            _values = new ArrowBuffer.Builder<T>();
            _offsets = new ArrowBuffer.Builder<int>().Append(0);
            return array;
        }
    }

    /// <summary>A vector of the type's size per row (a null row still takes its slots, zeroed).</summary>
    private sealed class FloatVector(string name, FixedSizeListType type) : Nested(name)
    {
        private ArrowBuffer.Builder<float> _values = new();

        public override int Values => _values.Length;

        public override void Append(object? value)
        {
            AppendValidity(value is not null);
            if (value is null)
            {
                _values.Append(new float[type.ListSize]);
                return;
            }
            var vector = Cast<float[]>(value);
            if (vector.Length != type.ListSize) throw new ArgumentException($"Column '{Name}' takes {type.ListSize} floats a row, not {vector.Length}.");
            _values.Append(vector);
        }

        public override IArrowArray Build()
        {
            var length = Length;
            var (bitmap, nulls) = TakeValidity();
            return new FixedSizeListArray(type, length, Floats(ref _values), bitmap, nulls, 0);
        }
    }

    /// <summary>A list of fixed-size float vectors per row: a matrix of rows × the vector size.</summary>
    private sealed class FloatMatrix(string name, ListType type, FixedSizeListType row) : Nested(name)
    {
        private ArrowBuffer.Builder<float> _values = new();
        private ArrowBuffer.Builder<int> _offsets = new ArrowBuffer.Builder<int>().Append(0);
        private int _rows;

        public override int Values => _values.Length;

        public override void Append(object? value)
        {
            AppendValidity(value is not null);
            if (value is not null)
                foreach (var vector in Cast<float[][]>(value))
                {
                    if (vector.Length != row.ListSize) throw new ArgumentException($"Column '{Name}' takes rows of {row.ListSize} floats, not {vector.Length}.");
                    _values.Append(vector);
                    _rows++;
                }
            _offsets.Append(_rows);
        }

        public override IArrowArray Build()
        {
            var length = Length;
            var (bitmap, nulls) = TakeValidity();
            var rows = new FixedSizeListArray(row, _rows, Floats(ref _values), ArrowBuffer.Empty, 0, 0);
            var array = new ListArray(type, length, _offsets.Build(), rows, bitmap, nulls, 0);
            _offsets = new ArrowBuffer.Builder<int>().Append(0);
            _rows = 0;
            return array;
        }
    }
}
