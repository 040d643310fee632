using System.Text.Json;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Output;

/// <summary>The table writer, read back by independent readers: hyparquet for Parquet, apache-arrow for Arrow IPC.</summary>
public class TableWriterTests
{
    private static readonly TableSchema EveryType = new("every", "one column of each type the engine writes",
    [
        new("b", ColumnTypes.Boolean, "a flag"), new("i", ColumnTypes.Int32, "a count, items"), new("l", ColumnTypes.Int64, "an id"),
        new("u", ColumnTypes.UInt32, "a hash"), new("f", ColumnTypes.Float, "a rating, 0..1"), new("d", ColumnTypes.Double, "a duration, seconds"),
        new("s", ColumnTypes.String, "a path"), new("t", ColumnTypes.UtcTimestamp, "a modification time, UTC"),
        new("fl", ColumnTypes.FloatList, "a vector of any length"), new("ul", ColumnTypes.UInt32List, "fingerprint items"),
        new("v", ColumnTypes.FloatVector(3), "a 3-vector"), new("m", ColumnTypes.FloatMatrix(2), "frames × 2 bands"),
    ]);

    /// <summary>Row r; every eleventh row is all null, and lists and matrices vary in length (0 included).</summary>
    private static object?[] Row(int r) => r % 11 == 10
        ? new object?[EveryType.Columns.Count]
        :
        [
            r % 2 == 0, r - 5000, (long)r * 1_000_000_007L, (uint)r * 3u | 0x8000_0000u, r / 4f, r / 3.0, $"row {r} ñé 音楽 '\"",
            new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r).AddMilliseconds(r % 1000),
            Enumerable.Range(0, r % 7).Select(k => r + k / 8f).ToArray(),
            Enumerable.Range(0, r % 5).Select(k => (uint)(r * 10 + k) | 0x8000_0000u).ToArray(),
            new[] { r, -r, r / 2f },
            Enumerable.Range(0, r % 4).Select(k => new[] { r + k, -k / 4f }).ToArray(),
        ];

    [Fact]
    public void Every_type_and_null_round_trips_through_both_independent_readers_in_batches()
    {
        const int rows = 2 * TableWriter.BatchRows + 500;
        using var folder = new TempFolder();
        var written = TableWriter.Write(folder.Path, EveryType, OutputFormats.Parquet | OutputFormats.Arrow, Enumerable.Range(0, rows).Select(Row));

        Assert.Equal(["every.parquet", "every.arrow"], written);
        Assert.Equal(["every.arrow", "every.parquet"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
        var parquet = ParquetCheck.Read(folder.File("every.parquet"));
        var arrow = ArrowCheck.Read(folder.File("every.arrow"));
        Assert.Equal(rows, parquet.Rows);
        Assert.Equal(rows, arrow.Rows);
        Assert.Equal(3, parquet.RowGroups);
        Assert.Equal(3, arrow.Batches);
        Assert.Equal(EveryType.Columns.Select(c => c.Name), parquet.Columns.Select(c => c.Name));
        foreach (var r in new[] { 0, 1, 7, 10, 8191, 8192, 8193, 16383, 16384, rows - 1 })
        {
            AssertRow(r, parquet.Data[r]);
            AssertRow(r, arrow.Data[r]);
        }
        for (var r = 0; r < rows; r++) ArrowCheck.AssertSameRow(parquet.Data[r], arrow.Data[r]);
    }

    [Fact]
    public void Both_files_carry_the_descriptions_and_mark_timestamps_utc()
    {
        using var folder = new TempFolder();
        TableWriter.Write(folder.Path, EveryType, OutputFormats.Parquet | OutputFormats.Arrow, Enumerable.Range(0, 3).Select(Row),
            new Dictionary<string, string> { ["ssis.extra"] = "42" });
        var parquet = ParquetCheck.Read(folder.File("every.parquet"));
        var arrow = ArrowCheck.Read(folder.File("every.arrow"));

        foreach (var metadata in new[] { parquet.Metadata, arrow.Metadata })
        {
            Assert.Equal("every", metadata[TableSchema.TableKey]);
            Assert.Equal(EveryType.Description, metadata[TableSchema.DescriptionKey]);
            Assert.Equal("42", metadata["ssis.extra"]);
            var columns = JsonDocument.Parse(metadata[TableSchema.ColumnsKey]).RootElement.EnumerateArray()
                .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("type").GetString(), c.GetProperty("description").GetString()));
            Assert.Equal(EveryType.Columns.Select(c => ((string?)c.Name, (string?)c.TypeName, (string?)c.Description)), columns);
        }
        Assert.Contains("\"fixed_size_list<float>[3]\"", parquet.Metadata[TableSchema.ColumnsKey]);
        Assert.Equal(EveryType.Columns.Select(c => c.Description), arrow.Columns.Select(c => c.Metadata[TableSchema.ColumnDescriptionKey]));

        var time = parquet.Columns.Single(c => c.Name == "t");
        Assert.Equal(("INT64", "TIMESTAMP", (bool?)true), (time.Type, time.Logical, time.AdjustedToUtc));
        Assert.Equal("Timestamp<MICROSECOND, UTC>", arrow.Columns.Single(c => c.Name == "t").Type);
        Assert.Equal("FixedSizeList[3]<Float32>", arrow.Columns.Single(c => c.Name == "v").Type);
        Assert.Equal("List<FixedSizeList[2]<Float32>>", arrow.Columns.Single(c => c.Name == "m").Type);
    }

    /// <summary>100k rows reach the files as 13 row groups / record batches of at most 8,192 rows: one batch is held at a time.</summary>
    [Fact]
    public void A_long_table_is_written_batch_by_batch()
    {
        const int rows = 100_000;
        using var folder = new TempFolder();
        var table = new TableSchema("long", "many rows", [new("n", ColumnTypes.Int64, "row number"), new("v", ColumnTypes.FloatVector(2), "a 2-vector")]);
        TableWriter.Write(folder.Path, table, OutputFormats.Parquet | OutputFormats.Arrow,
            Enumerable.Range(0, rows).Select(r => new object?[] { (long)r, new[] { r, r / 2f } }));

        var parquet = ParquetCheck.Read(folder.File("long.parquet"));
        var arrow = ArrowCheck.Read(folder.File("long.arrow"));
        var expectedBatches = (rows + TableWriter.BatchRows - 1) / TableWriter.BatchRows;
        Assert.Equal((rows, expectedBatches), (parquet.Rows, parquet.RowGroups));
        Assert.Equal((rows, expectedBatches), (arrow.Rows, arrow.Batches));
        Assert.Equal(rows - 1, parquet.Data[^1].GetProperty("n").GetInt64());
        Assert.Equal([rows - 1f, (rows - 1) / 2f], arrow.Data[^1].GetProperty("v").EnumerateArray().Select(e => e.GetSingle()));
    }

    /// <summary>Rows of 512 floats end a batch after 512 rows (BatchValues), not 8,192: a batch's buffers stay bounded whatever the width.</summary>
    [Fact]
    public void Wide_rows_are_written_in_batches_of_bounded_values()
    {
        const int dimension = 512, rows = 2_000;
        using var folder = new TempFolder();
        var table = new TableSchema("wide", "wide rows", [new("n", ColumnTypes.Int64, "row number"), new("v", ColumnTypes.FloatVector(dimension), "a vector")]);
        TableWriter.Write(folder.Path, table, OutputFormats.Parquet | OutputFormats.Arrow,
            Enumerable.Range(0, rows).Select(r => new object?[] { (long)r, Enumerable.Range(0, dimension).Select(k => r + k / 1024f).ToArray() }));

        var parquet = ParquetCheck.Read(folder.File("wide.parquet"));
        var arrow = ArrowCheck.Read(folder.File("wide.arrow"));
        var rowsPerBatch = TableWriter.BatchValues / dimension;
        var expectedBatches = (rows + rowsPerBatch - 1) / rowsPerBatch;
        Assert.Equal(4, expectedBatches);
        Assert.Equal((rows, expectedBatches), (parquet.Rows, parquet.RowGroups));
        Assert.Equal((rows, expectedBatches), (arrow.Rows, arrow.Batches));
        foreach (var r in new[] { 0, rowsPerBatch - 1, rowsPerBatch, rows - 1 })
        {
            Assert.Equal(r, parquet.Data[r].GetProperty("n").GetInt64());
            Assert.Equal(Enumerable.Range(0, dimension).Select(k => r + k / 1024f), parquet.Data[r].GetProperty("v").EnumerateArray().Select(e => e.GetSingle()));
            ArrowCheck.AssertSameRow(parquet.Data[r], arrow.Data[r]);
        }
    }

    [Fact]
    public void A_table_without_rows_is_a_valid_empty_file()
    {
        using var folder = new TempFolder();
        TableWriter.Write(folder.Path, EveryType, OutputFormats.Parquet | OutputFormats.Arrow, []);
        Assert.Equal(0, ParquetCheck.Read(folder.File("every.parquet")).Rows);
        var arrow = ArrowCheck.Read(folder.File("every.arrow"));
        Assert.Equal(0, arrow.Rows);
        Assert.Equal(EveryType.Columns.Select(c => c.Name), arrow.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Rewriting_replaces_the_files_whole_and_a_failed_write_leaves_the_old_ones()
    {
        using var folder = new TempFolder();
        var table = new TableSchema("t", "numbers", [new("n", ColumnTypes.Int32, "a number")]);
        const OutputFormats both = OutputFormats.Parquet | OutputFormats.Arrow;
        TableWriter.Write(folder.Path, table, both, Enumerable.Range(0, 10).Select(i => new object?[] { i }));
        TableWriter.Write(folder.Path, table, both, Enumerable.Range(0, 4).Select(i => new object?[] { i }));
        Assert.Equal(4, ParquetCheck.Read(folder.File("t.parquet")).Rows);
        Assert.Equal(4, ArrowCheck.Read(folder.File("t.arrow")).Rows);

        // The rows fail after the first batch has reached both temp files.
        IEnumerable<object?[]> Failing()
        {
            for (var i = 0; i < TableWriter.BatchRows + 10; i++) yield return [i];
            throw new IOException("catalog went away");
        }
        Assert.Throws<IOException>(() => TableWriter.Write(folder.Path, table, both, Failing()));
        Assert.Equal(4, ParquetCheck.Read(folder.File("t.parquet")).Rows);
        Assert.Equal(4, ArrowCheck.Read(folder.File("t.arrow")).Rows);
        Assert.Equal(["t.arrow", "t.parquet"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Only_the_asked_format_is_written()
    {
        using var folder = new TempFolder();
        var table = new TableSchema("t", "numbers", [new("n", ColumnTypes.Int32, "a number")]);
        Assert.Equal(["t.arrow"], TableWriter.Write(folder.Path, table, OutputFormats.Arrow, [[1]]));
        Assert.Equal(["t.arrow"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(0, "not a number", "Column 'n' takes Int32, not String")]
    [InlineData(1, new float[] { 1, 2 }, "Column 'v' takes 3 floats a row, not 2")]
    public void A_wrong_value_names_its_column(int column, object value, string expected)
    {
        using var folder = new TempFolder();
        var table = new TableSchema("t", "bad", [new("n", ColumnTypes.Int32, "a number"), new("v", ColumnTypes.FloatVector(3), "a 3-vector")]);
        var row = new object?[] { 1, new float[] { 1, 2, 3 } };
        row[column] = value;
        var error = Assert.Throws<ArgumentException>(() => TableWriter.Write(folder.Path, table, OutputFormats.Parquet, [row]));
        Assert.Contains(expected, error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    private static void AssertRow(int r, JsonElement actual)
    {
        var expected = Row(r);
        if (expected[0] is null)
        {
            Assert.All(EveryType.Columns, c => Assert.True(Value(actual, c.Name).ValueKind == JsonValueKind.Null, $"row {r}, {c.Name}"));
            return;
        }
        Assert.Equal((bool)expected[0]!, Value(actual, "b").GetBoolean());
        Assert.Equal((int)expected[1]!, Value(actual, "i").GetInt32());
        Assert.Equal((long)expected[2]!, Value(actual, "l").GetInt64());
        Assert.Equal((uint)expected[3]!, Value(actual, "u").GetUInt32());
        Assert.Equal((float)expected[4]!, Value(actual, "f").GetSingle());
        Assert.Equal((double)expected[5]!, Value(actual, "d").GetDouble());
        Assert.Equal((string)expected[6]!, Value(actual, "s").GetString());
        Assert.Equal(((DateTime)expected[7]!).ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), Value(actual, "t").GetString());
        Assert.Equal((float[])expected[8]!, Value(actual, "fl").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal((uint[])expected[9]!, Value(actual, "ul").EnumerateArray().Select(e => e.GetUInt32()));
        Assert.Equal((float[])expected[10]!, Value(actual, "v").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal(((float[][])expected[11]!).Select(f => string.Join(",", f)),
            Value(actual, "m").EnumerateArray().Select(f => string.Join(",", f.EnumerateArray().Select(e => e.GetSingle()))));
    }

    private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement;

    private static JsonElement Value(JsonElement row, string column) => row.TryGetProperty(column, out var value) ? value : Null;
}
