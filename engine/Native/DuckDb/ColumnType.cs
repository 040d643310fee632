namespace SSIS.Batch.Engine.Native.DuckDb;

/// <summary>The column types the engine writes, each with the CLR value it takes.</summary>
public enum ColumnType
{
    /// <summary>bool</summary>
    Boolean,
    /// <summary>int</summary>
    Integer,
    /// <summary>long</summary>
    BigInt,
    /// <summary>uint</summary>
    UInteger,
    /// <summary>float</summary>
    Float,
    /// <summary>double</summary>
    Double,
    /// <summary>string</summary>
    Varchar,
    /// <summary>DateTime (UTC), stored with microsecond precision</summary>
    Timestamp,
    /// <summary>float[]</summary>
    FloatList,
    /// <summary>uint[]</summary>
    UIntegerList,
}

/// <summary>A column of a table the engine writes: its name, type and what it means (unit included).</summary>
public sealed record Column(string Name, ColumnType Type, string Description);

public static class ColumnTypes
{
    public static string Sql(this ColumnType type) => type switch
    {
        ColumnType.Boolean => "BOOLEAN",
        ColumnType.Integer => "INTEGER",
        ColumnType.BigInt => "BIGINT",
        ColumnType.UInteger => "UINTEGER",
        ColumnType.Float => "FLOAT",
        ColumnType.Double => "DOUBLE",
        ColumnType.Varchar => "VARCHAR",
        ColumnType.Timestamp => "TIMESTAMP",
        ColumnType.FloatList => "FLOAT[]",
        ColumnType.UIntegerList => "UINTEGER[]",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>DUCKDB_TYPE enum value (duckdb.h) of the type, or of the element type for lists.</summary>
    internal static int NativeTypeId(this ColumnType type) => type switch
    {
        ColumnType.Boolean => 1,
        ColumnType.Integer => 4,
        ColumnType.BigInt => 5,
        ColumnType.UInteger or ColumnType.UIntegerList => 8,
        ColumnType.Float or ColumnType.FloatList => 10,
        ColumnType.Double => 11,
        ColumnType.Timestamp => 12,
        ColumnType.Varchar => 17,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    internal static bool IsList(this ColumnType type) => type is ColumnType.FloatList or ColumnType.UIntegerList;
}
