using System.Text.Encodings.Web;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace SSIS.Batch.Engine.Output;

/// <summary>A column of a table the engine writes: its name, Arrow type, and what it means (unit included).</summary>
public sealed record TableColumn(string Name, IArrowType Type, string Description)
{
    /// <summary>The type as the README's tables and pyarrow print it (<c>int64</c>, <c>list&lt;float&gt;</c>, ...).</summary>
    public string TypeName => ColumnTypes.Name(Type);
}

/// <summary>
/// One declared schema per output table: the same columns, types and descriptions go into its Parquet file and its
/// Arrow IPC file, with the descriptions in each file's key-value metadata so a notebook needs no README.
/// </summary>
public sealed class TableSchema
{
    /// <summary>Key-value metadata keys (file-level in Parquet, schema-level in Arrow).</summary>
    public const string TableKey = "ssis.table", DescriptionKey = "ssis.description", ColumnsKey = "ssis.columns";

    /// <summary>Field-level metadata key of a column's description in the Arrow schema.</summary>
    public const string ColumnDescriptionKey = "description";

    /// <summary>JSON a person reads in the metadata: "list&lt;float&gt;", not "list\u003Cfloat\u003E".</summary>
    internal static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public TableSchema(string name, string description, IReadOnlyList<TableColumn> columns)
    {
        Name = name;
        Description = description;
        Columns = columns;
        Metadata = new Dictionary<string, string>
        {
            [TableKey] = name,
            [DescriptionKey] = description,
            [ColumnsKey] = JsonSerializer.Serialize(columns.Select(c => new { name = c.Name, type = c.TypeName, description = c.Description }), ReadableJson),
        };
    }

    /// <summary>File name without extension: <c>tracks</c> is written as tracks.parquet and tracks.arrow.</summary>
    public string Name { get; }

    public string Description { get; }

    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The metadata every file of this table carries; a writer may add keys of its own (see <see cref="TableWriter"/>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public string ParquetFileName => FileName(OutputFormats.Parquet);

    public string FileName(OutputFormats format) => Name + format.Extension();

    /// <summary>The Arrow schema, each field carrying its description, the schema carrying <see cref="Metadata"/> and <paramref name="extra"/>.</summary>
    public Schema ArrowSchema(IReadOnlyDictionary<string, string>? extra = null) => new(
        Columns.Select(c => new Field(c.Name, c.Type, nullable: true, [new(ColumnDescriptionKey, c.Description)])),
        Metadata.Concat(extra ?? new Dictionary<string, string>()));
}

/// <summary>The Arrow types the engine's tables use, and their printed names.</summary>
public static class ColumnTypes
{
    public static readonly IArrowType Boolean = BooleanType.Default;
    public static readonly IArrowType Int32 = Int32Type.Default;
    public static readonly IArrowType Int64 = Int64Type.Default;
    public static readonly IArrowType UInt32 = UInt32Type.Default;
    public static readonly IArrowType Float = FloatType.Default;
    public static readonly IArrowType Double = DoubleType.Default;
    public static readonly IArrowType String = StringType.Default;

    /// <summary>An instant: microseconds since the Unix epoch, marked UTC (Parquet: isAdjustedToUTC = true).</summary>
    public static readonly IArrowType UtcTimestamp = new TimestampType(TimeUnit.Microsecond, "UTC");

    /// <summary>A float vector whose length varies by row (embeddings of several encoder versions share one file).</summary>
    public static readonly IArrowType FloatList = new ListType(new Field("element", FloatType.Default, nullable: false));

    public static readonly IArrowType UInt32List = new ListType(new Field("element", UInt32Type.Default, nullable: false));

    /// <summary>A vector of <paramref name="dimension"/> floats in every row (Parquet has no fixed-size list: there it is a list, the dimension in the metadata).</summary>
    public static IArrowType FloatVector(int dimension) => new FixedSizeListType(new Field("element", FloatType.Default, nullable: false), dimension);

    /// <summary>A matrix of rows × <paramref name="columns"/> floats: a list of fixed-size float vectors (mel: frames × bands).</summary>
    public static IArrowType FloatMatrix(int columns) => new ListType(new Field("element", FloatVector(columns), nullable: false));

    public static string Name(IArrowType type) => type switch
    {
        BooleanType => "bool",
        Int32Type => "int32",
        Int64Type => "int64",
        UInt32Type => "uint32",
        FloatType => "float",
        DoubleType => "double",
        StringType => "string",
        TimestampType { Unit: TimeUnit.Microsecond } t => $"timestamp[us, tz={t.Timezone}]",
        FixedSizeListType f => $"fixed_size_list<{Name(f.ValueDataType)}>[{f.ListSize}]",
        ListType l => $"list<{Name(l.ValueDataType)}>",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, "not a type the engine's tables use"),
    };
}
