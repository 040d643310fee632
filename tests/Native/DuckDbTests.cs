using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Native;

public class DuckDbTests
{
    private static readonly Column[] EveryType =
    [
        new("b", ColumnType.Boolean, ""), new("i", ColumnType.Integer, ""), new("l", ColumnType.BigInt, ""),
        new("u", ColumnType.UInteger, ""), new("f", ColumnType.Float, ""), new("d", ColumnType.Double, ""),
        new("s", ColumnType.Varchar, ""), new("t", ColumnType.Timestamp, ""), new("fl", ColumnType.FloatList, ""),
        new("ul", ColumnType.UIntegerList, ""),
    ];

    /// <summary>Row r of a table large enough to span several 2048-row chunks; every eleventh row is all NULL.</summary>
    private static object?[] Row(int r) => r % 11 == 10
        ? new object?[EveryType.Length]
        :
        [
            r % 2 == 0, r - 5000, (long)r * 1_000_000_007L, (uint)r * 3u, r / 4f, r / 3.0, $"row {r} ñé 音楽 '\"",
            new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r).AddTicks(10 * (r % 1000)),
            Enumerable.Range(0, r % 7).Select(k => r + k / 8f).ToArray(),
            Enumerable.Range(0, r % 5).Select(k => (uint)(r * 10 + k) | 0x8000_0000u).ToArray(),
        ];

    [Fact]
    public void Chunk_appender_round_trips_every_column_type_and_nulls_across_chunks()
    {
        const int rows = 5000;
        using var db = DuckDbConnection.Open();
        db.Execute($"CREATE TABLE t ({string.Join(", ", EveryType.Select(c => $"{c.Name} {c.Type.Sql()}"))})");
        using (var appender = new DuckDbChunkAppender(db, "t", EveryType))
        {
            appender.Append(Enumerable.Range(0, rows).Select(Row));
            appender.Close();
        }
        var read = db.Query("SELECT b, i, l, u, f, d, s, epoch_us(t), fl::VARCHAR, ul::VARCHAR FROM t");
        Assert.Equal(rows, read.Rows.Count);
        for (var r = 0; r < rows; r++)
        {
            var expected = Row(r);
            var actual = read.Rows[r];
            if (expected[0] is null)
            {
                Assert.All(actual, Assert.Null);
                continue;
            }
            Assert.Equal((bool)expected[0]! ? "true" : "false", actual[0]);
            Assert.Equal(expected[1]!.ToString(), actual[1]);
            Assert.Equal(expected[2]!.ToString(), actual[2]);
            Assert.Equal(expected[3]!.ToString(), actual[3]);
            Assert.Equal((float)expected[4]!, float.Parse(actual[4]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((double)expected[5]!, double.Parse(actual[5]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected[6], actual[6]);
            Assert.Equal(((DateTime)expected[7]! - DateTime.UnixEpoch).Ticks / 10, long.Parse(actual[7]!));
            Assert.Equal((float[])expected[8]!, ParseList(actual[8]!).Select(float.Parse));
            Assert.Equal((uint[])expected[9]!, ParseList(actual[9]!).Select(uint.Parse));
        }
    }

    [Fact]
    public void Float_list_values_survive_exactly()
    {
        using var db = DuckDbConnection.Open();
        db.Execute("CREATE TABLE v (x FLOAT[])");
        var vectors = Enumerable.Range(0, 3000).Select(r => Enumerable.Range(0, 64).Select(k => MathF.Sin(r * 0.01f + k)).ToArray()).ToList();
        using (var appender = new DuckDbChunkAppender(db, "v", [new Column("x", ColumnType.FloatList, "")]))
        {
            appender.Append(vectors.Select(v => new object?[] { v }));
            appender.Close();
        }
        var expectedSum = vectors.Sum(v => v.Sum(x => (double)x));
        var sum = double.Parse(db.Scalar("SELECT sum(list_sum(x)) FROM v")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expectedSum, sum, 6);
        Assert.Equal("192000", db.Scalar("SELECT sum(len(x)) FROM v"));
    }

    [Fact]
    public void Query_errors_carry_duckdbs_message()
    {
        using var db = DuckDbConnection.Open();
        var error = Assert.Throws<DuckDbException>(() => db.Execute("SELECT * FROM no_such_table"));
        Assert.Contains("no_such_table", error.Message);
    }

    [Fact]
    public void A_list_column_queried_without_a_cast_fails_clearly_instead_of_reading_as_null()
    {
        using var db = DuckDbConnection.Open();
        var error = Assert.Throws<DuckDbException>(() => db.Query("SELECT [1.5, 2.5]::FLOAT[] AS v"));
        Assert.Contains("v::VARCHAR", error.Message);
    }

    [Fact]
    public void A_wrongly_typed_value_names_the_column()
    {
        using var db = DuckDbConnection.Open();
        db.Execute("CREATE TABLE t (n INTEGER)");
        using var appender = new DuckDbChunkAppender(db, "t", [new Column("n", ColumnType.Integer, "")]);
        var error = Assert.Throws<ArgumentException>(() => appender.Append([["not a number"]]));
        Assert.Contains("'n'", error.Message);
    }

    [Fact]
    public void Parquet_export_is_readable_by_an_independent_reader_and_leaves_no_temp_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("every type.parquet");
        ParquetTableWriter.Write(path, EveryType, Enumerable.Range(0, 3000).Select(Row));

        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        var parquet = ParquetCheck.Read(path);
        Assert.Equal(3000, parquet.Rows);
        Assert.Equal(EveryType.Select(c => c.Name), parquet.Columns.Select(c => c.Name));
        var row7 = parquet.Data[7];
        Assert.Equal("row 7 ñé 音楽 '\"", row7.GetProperty("s").GetString());
        Assert.Equal(7L * 1_000_000_007L, row7.GetProperty("l").GetInt64());
        Assert.Equal(Enumerable.Range(0, 7 % 7).Count(), row7.GetProperty("fl").GetArrayLength());
        var row9 = parquet.Data[9];
        Assert.Equal(new[] { 90u | 0x8000_0000u, 91u | 0x8000_0000u, 92u | 0x8000_0000u, 93u | 0x8000_0000u },
            row9.GetProperty("ul").EnumerateArray().Select(e => e.GetUInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, parquet.Data[10].GetProperty("s").ValueKind);
    }

    [Fact]
    public void Rewriting_a_parquet_file_replaces_it_whole()
    {
        using var folder = new TempFolder();
        var path = folder.File("t.parquet");
        Column[] columns = [new("n", ColumnType.Integer, "")];
        ParquetTableWriter.Write(path, columns, Enumerable.Range(0, 10).Select(i => new object?[] { i }));
        ParquetTableWriter.Write(path, columns, Enumerable.Range(0, 4).Select(i => new object?[] { i }));
        Assert.Equal(4, ParquetCheck.Read(path).Rows);
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    /// <summary>The elements of a list as DuckDB renders it: "[1.5, 2.0]".</summary>
    private static IEnumerable<string> ParseList(string text) =>
        text.Trim('[', ']').Split(", ", StringSplitOptions.RemoveEmptyEntries);
}
